import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLineOf, FIXTURE_PLUGIN, runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

// mean-gap (the test plugin) is ‖mean(a) − mean(b)‖² × scale: a closed form to check the plumbing.
function points(dir: string, name: string, rows: number[][]): string {
  const file = join(dir, name);
  writeFileSync(file, rows.map((r) => r.join(',')).join('\n') + '\n');
  return file;
}

describe('pfm eval', () => {
  const dir = scratchDir();
  const a = points(dir, 'a.csv', [[0, 0], [2, 0], [1, 3]]); // mean (1, 1)
  const b = points(dir, 'b.csv', [[4, 5], [4, 3]]); // mean (4, 4)
  const common = ['--plugin', FIXTURE_PLUGIN, '--backend', 'cpu'];

  it("prints the metric's value; --json prints metric, value, n, m, seconds; --config sets its options", async () => {
    const plain = await runPfm(['eval', '--metric', 'mean-gap', '--a', a, '--b', b, ...common]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(Number(plain.stdout)).toBe(18); // (4 − 1)² + (4 − 1)², exact in float32
    const config = join(dir, 'scale.json');
    writeFileSync(config, JSON.stringify({ scale: 0.5 }));
    const json = await runPfm(['eval', '--metric', 'mean-gap', '--a', a, '--b', b, '--config', config, '--json', ...common]);
    expect(json.code, json.stderr).toBe(0);
    const line = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(['metric', 'value', 'n', 'm', 'seconds']);
    expect(line).toMatchObject({ metric: 'mean-gap', value: 9, n: 3, m: 2 });
    expect(line.seconds as number).toBeGreaterThanOrEqual(0);
  });

  it('a registered metric: the biased energy distance of @pfm/ipm matches its closed form', async () => {
    // 2E|X − Y| − E|X − X′| − E|Y − Y′| on {0, 2} and {1, 5}: 2 · 10/4 − 4/4 − 8/4 = 2.
    const x = points(dir, 'x.csv', [[0], [2]]);
    const y = points(dir, 'y.csv', [[1], [5]]);
    const config = join(dir, 'biased.json');
    writeFileSync(config, JSON.stringify({ estimator: 'biased' }));
    const r = await runPfm(['eval', '--metric', 'energy', '--a', x, '--b', y, '--config', config, '--json', '--backend', 'cpu']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ metric: 'energy', n: 2, m: 2 });
    expect(JSON.parse(r.stdout).value).toBeCloseTo(2, 6);
  });

  it('--max-points compares seeded uniform subsamples of each file; the same seed gives the same value', async () => {
    const many = points(dir, 'many.csv', Array.from({ length: 200 }, (_, i) => [i, -i]));
    const run = async (...extra: string[]) => {
      const r = await runPfm(['eval', '--metric', 'mean-gap', '--a', many, '--b', b, '--json', ...extra, ...common]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { value: number; n: number; m: number };
    };
    const whole = await run();
    expect(whole).toMatchObject({ n: 200, m: 2 });
    expect(whole.value).toBeCloseTo((99.5 - 4) ** 2 + (-99.5 - 4) ** 2, 2);
    const first = await run('--max-points', '20', '--seed', '3');
    expect(first).toMatchObject({ n: 20, m: 2 }); // b has only 2 rows: all of them
    expect((await run('--max-points', '20', '--seed', '3')).value).toBe(first.value);
    expect((await run('--max-points', '20', '--seed', '4')).value).not.toBe(first.value);
    expect(errorLineOf(await runPfm(['eval', '--metric', 'mean-gap', '--a', many, '--b', b, '--max-points', '0', ...common]))).toBe(
      'pfm eval: --max-points must be a positive integer, got "0"',
    );
  });

  it('unknown metrics, bad options and point clouds of different dimensions are errors', async () => {
    expect(errorLineOf(await runPfm(['eval', '--metric', 'mean-gaps', '--a', a, '--b', b, ...common]))).toMatch(
      /^pfm eval: unknown discrepancy "mean-gaps"; known discrepancy ids: .*\bmean-gap\b/,
    );
    const config = join(dir, 'negative.json');
    writeFileSync(config, JSON.stringify({ scale: -1 }));
    expect(errorLineOf(await runPfm(['eval', '--metric', 'mean-gap', '--a', a, '--b', b, '--config', config, ...common]))).toMatch(
      new RegExp(`^pfm eval: bad options for discrepancy "mean-gap": ${config}\\.scale: `),
    );
    const c = points(dir, 'c.csv', [[1, 2, 3]]);
    expect(errorLineOf(await runPfm(['eval', '--metric', 'mean-gap', '--a', a, '--b', c, ...common]))).toBe(
      `pfm eval: ${c} has 3 column(s) but ${a} has 2: the point clouds must have the same dimension`,
    );
  });

  it('--labels and --labels-b: the metric per class and its mean over classes; --verbose prints each class; --json adds perClass', async () => {
    // Class 0: a rows (0, 0), (2, 0) (mean (1, 0)), b row (1, 2): gap 4. Class 1: a row (1, 3), b row (4, 3): gap 9.
    const labelsA = points(dir, 'la.csv', [[0], [0], [1]]);
    const b2 = points(dir, 'b2.csv', [[4, 3], [1, 2]]);
    const labelsB = points(dir, 'lb.csv', [[1], [0]]);
    const plain = await runPfm(['eval', '--metric', 'mean-gap', '--a', a, '--labels', labelsA, '--b', b2, '--labels-b', labelsB, ...common]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(Number(plain.stdout)).toBe(6.5);
    const verbose = await runPfm(['eval', '--metric', 'mean-gap', '--a', a, '--labels', labelsA, '--b', b2, '--labels-b', labelsB, '--verbose', ...common]);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stderr).toContain('class 0: mean-gap 4 (n 2, m 1)\nclass 1: mean-gap 9 (n 1, m 1)\nmean over 2 classes: 6.5\n');
    const json = await runPfm(['eval', '--metric', 'mean-gap', '--a', a, '--labels', labelsA, '--b', b2, '--labels-b', labelsB, '--json', ...common]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      metric: 'mean-gap',
      value: 6.5,
      n: 3,
      m: 2,
      perClass: [
        { label: 0, value: 4, n: 2, m: 1 },
        { label: 1, value: 9, n: 1, m: 1 },
      ],
    });
    // Bad input: one flag without the other, a row count that differs, a class on one side only.
    expect(errorLineOf(await runPfm(['eval', '--metric', 'mean-gap', '--a', a, '--labels', labelsA, '--b', b2, ...common]))).toBe(
      'pfm eval: --labels needs --labels-b: a per-class metric needs the class of every row of --a (--labels) and of --b (--labels-b)',
    );
    expect(errorLineOf(await runPfm(['eval', '--metric', 'mean-gap', '--a', a, '--labels', labelsB, '--b', b2, '--labels-b', labelsB, ...common]))).toBe(
      `pfm eval: --labels ${labelsB}: has 2 labels, expected one per data row (3)`,
    );
    const onlyOne = points(dir, 'lc.csv', [[1], [2]]);
    expect(errorLineOf(await runPfm(['eval', '--metric', 'mean-gap', '--a', a, '--labels', labelsA, '--b', b2, '--labels-b', onlyOne, ...common]))).toBe(
      `pfm eval: --labels-b ${onlyOne}: class 2 has 1 point(s) in --b and none in --a; a per-class metric needs every class on both sides`,
    );
  });
});
