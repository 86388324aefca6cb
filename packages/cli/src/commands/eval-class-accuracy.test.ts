// `pfm eval --metric class-accuracy` through the built command line: MNIST test digits scored by
// pfm's LeNet (all 1,000 test digits) against their true digits (high) and against shifted digits (low), per digit in
// --json; rows that are not 28×28×1 images and a missing --labels exit 2 with one line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDataFile } from '@pfm/core/node';
import { describe, expect, inject, it } from 'vitest';
import { errorLineOf, runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

const fx = inject('fixtures');

describe('pfm eval --metric class-accuracy', () => {
  it('scores MNIST digits by the LeNet: their own digits ≥ 90%, shifted digits ≤ 20%; per digit in --json; bad input exits 2', async () => {
    const dir = scratchDir();
    const images = join(dir, 'digits.npy');
    const labels = join(dir, 'y.csv');
    const made = await runPfm(['data', 'mnist', '--split', 'test', '--backend', 'cpu', '--out', images, '--labels', labels]);
    expect(made.code, made.stderr).toBe(0);
    const own = await runPfm(['eval', '--metric', 'class-accuracy', '--a', images, '--labels', labels, '--json', '--backend', 'cpu']);
    expect(own.code, own.stderr).toBe(0);
    const result = JSON.parse(own.stdout) as { metric: string; value: number; n: number; perClass: { label: number; value: number; n: number }[] };
    expect([result.metric, result.n]).toEqual(['class-accuracy', 1000]);
    // The LeNet is about 98% accurate on the 1,000 test digits; 90% leaves room for a few errors.
    expect(result.value).toBeGreaterThanOrEqual(0.9);
    expect(result.perClass.map((c) => c.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(result.perClass.reduce((a, c) => a + c.n, 0)).toBe(1000);
    const overall = result.perClass.reduce((a, c) => a + c.value * c.n, 0) / 1000;
    expect(overall).toBeCloseTo(result.value, 6);

    const digits = (await readDataFile(labels)).values;
    const shifted = join(dir, 'shifted.csv');
    writeFileSync(shifted, `label\n${Array.from(digits, (d) => (d + 1) % 10).join('\n')}\n`);
    const wrong = await runPfm(['eval', '--metric', 'class-accuracy', '--a', images, '--labels', shifted, '--backend', 'cpu']);
    expect(wrong.code, wrong.stderr).toBe(0);
    expect(Number(wrong.stdout)).toBeLessThanOrEqual(0.2);

    const bad = async (args: string[]) => {
      const r = await runPfm(['eval', '--metric', 'class-accuracy', ...args, '--backend', 'cpu']);
      expect(r.code, r.stderr).toBe(2);
      return errorLineOf(r);
    };
    expect(await bad(['--a', images])).toBe('pfm eval: --metric class-accuracy needs --labels FILE: the digit each row of --a was requested as');
    writeFileSync(join(dir, 'moons-y.csv'), `label\n${Array.from({ length: 256 }, () => 0).join('\n')}\n`);
    expect(await bad(['--a', fx.data, '--labels', join(dir, 'moons-y.csv')])).toBe(
      `pfm eval: --metric class-accuracy: ${fx.data} holds rows of 2 values, expected MNIST images (28×28×1, 784 values a row): the classifier is pfm's LeNet of MNIST digits`,
    );
    expect(await bad(['--a', images, '--labels', labels, '--b', images])).toBe('pfm eval: --b: --metric class-accuracy scores the images of --a against --labels alone; drop --b');
  }, 600_000);
});
