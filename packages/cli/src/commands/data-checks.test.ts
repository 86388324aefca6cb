import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLineOf, FIXTURE_PLUGIN, runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

const tiny = ['--method', 'flow-matching', '--config', '', '--backend', 'cpu', '--quiet'];

/** `pfm train` of a tiny flow-matching recipe (hidden [4], 2 steps) on the CSV `text`. */
async function trainOn(text: string, extra: string[] = []) {
  const dir = scratchDir();
  const data = join(dir, 'data.csv');
  writeFileSync(data, text);
  const recipe = join(dir, 'recipe.json');
  writeFileSync(recipe, JSON.stringify({ method: 'flow-matching', model: { hidden: [4] }, steps: 2, batchSize: 8 }));
  const out = join(dir, 'model.json');
  const args = ['train', '--data', data, ...tiny.map((a) => (a === '' ? recipe : a)), '--out', out, ...extra];
  return { result: await runPfm(args), data, out };
}

describe('pfm train on degenerate data', () => {
  it('one point: trains, and says on stderr that it is one point, fewer than the batch and than the dimension', async () => {
    const { result, data, out } = await trainOn('1,2\n');
    expect(result.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    const warnings = result.stderr.split('\n').filter((l) => l.startsWith('pfm train: warning: '));
    expect(warnings).toEqual([
      `pfm train: warning: ${data} has 1 point; at least 2 are needed to learn a distribution (a model of one point only learns that point)`,
      `pfm train: warning: ${data} has 1 point, fewer than the batch size 8: every batch repeats points (a batch size of at most 1 avoids it)`,
      `pfm train: warning: ${data} has 1 point in 2 dimensions: fewer points than dimensions, so their covariance is singular (rank at most 0) and most directions are never seen`,
    ]);
  }, 60_000);

  it('constant columns and a repeated point are named; ordinary data get no warning', async () => {
    const constant = await trainOn('1,5,0\n2,5,0\n3,5,0\n4,5,0\n5,5,1\n6,5,0\n7,5,0\n8,5,0\n');
    expect(constant.result.code).toBe(0);
    expect(constant.result.stderr).toContain(`pfm train: warning: 1 of 3 columns of ${constant.data} are constant (0-based: 1)`);
    const repeated = await trainOn('1,2\n1,2\n1,2\n');
    expect(repeated.result.stderr).toContain(`pfm train: warning: all 3 points of ${repeated.data} are the same point`);
    const fine = await trainOn('1,2\n2,1\n3,5\n4,0\n5,5\n6,1\n7,2\n8,3\n');
    expect(fine.result.code).toBe(0);
    expect(fine.result.stderr).not.toContain('warning');
  }, 120_000);
});

describe('pfm train memory plan', () => {
  it('refuses a run above --max-memory with one line naming the estimate, the limit and a batch size that fits', async () => {
    const { result, out } = await trainOn('1,2\n2,1\n3,5\n4,0\n5,5\n6,1\n7,2\n8,3\n', ['--max-memory', '1K']);
    expect(errorLineOf(result)).toMatch(/^pfm train: the run needs about [\d.]+ KiB, more than --max-memory 1\.0 KiB \(data .* \+ \d+ parameters .*\); even a batch of one row does not fit: use a smaller network$/);
    expect(existsSync(out)).toBe(false);
    const bad = await trainOn('1,2\n2,1\n', ['--max-memory', 'lots']);
    expect(errorLineOf(bad.result)).toBe('pfm train: --max-memory must be a memory size such as 512M, 2G or 8GiB (a positive number of bytes with an optional unit K, M, G or T), got "lots"');
  }, 60_000);

  it("refuses a run whose set-up does not fit before the set-up runs; a run that fits makes it once", async () => {
    const dir = scratchDir();
    const data = join(dir, 'data.csv');
    writeFileSync(data, '1,2\n2,1\n3,5\n4,0\n5,5\n6,1\n7,2\n8,3\n');
    const recipe = (heldRows: number) => {
      const path = join(dir, `set-up-${heldRows}.json`);
      writeFileSync(path, JSON.stringify({ method: 'set-up-counter', options: { heldRows }, model: { hidden: [4] }, steps: 2, batchSize: 8 }));
      return path;
    };
    const common = ['train', '--data', data, '--plugin', FIXTURE_PLUGIN, '--backend', 'cpu', '--max-memory', '1M'];
    // A million held rows of 2 float32 values: about 7.6 MiB, over the 1 MiB limit whatever the batch.
    const refused = await runPfm([...common, '--config', recipe(1_000_000), '--out', join(dir, 'big.json')]);
    expect(errorLineOf(refused)).toMatch(/^pfm train: the run's set-up \(fixture set-up\) needs about 7\.6 MiB, more than --max-memory 1\.0 MiB; the batch size does not change it: train on fewer rows or a smaller network$/);
    expect(refused.stderr).not.toContain('set-up ran');
    expect(existsSync(join(dir, 'big.json'))).toBe(false);
    const fits = await runPfm([...common, '--config', recipe(10), '--out', join(dir, 'small.json')]);
    expect(fits.code, fits.stderr).toBe(0);
    expect(fits.stderr.match(/set-up-counter: set-up ran \(call \d+\)/g)).toEqual(['set-up-counter: set-up ran (call 1)']);
  }, 60_000);

  it('--verbose prints the plan term by term', async () => {
    const { result } = await trainOn('1,2\n2,1\n3,5\n4,0\n5,5\n6,1\n7,2\n8,3\n', ['--verbose']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^memory plan: about [\d.]+ KiB = data 128 B \+ \d+ parameters with gradients and optimizer state [\d.]+ (B|KiB) \+ one step at batch 8 [\d.]+ KiB \([\d.]+ (B|KiB) a row\)$/m);
  }, 60_000);
});

describe.skipIf(!existsSync('/proc/self'))('pfm train to a directory that takes no files', () => {
  it('says the directory exists but does not accept new files', async () => {
    const dir = scratchDir();
    const data = join(dir, 'data.csv');
    writeFileSync(data, '1,2\n2,1\n');
    const result = await runPfm(['train', '--data', data, '--method', 'flow-matching', '--backend', 'cpu', '--out', '/proc/o.json']);
    expect(errorLineOf(result)).toBe(
      'pfm train: cannot write "/proc/o.json": cannot create files there (the directory "/proc" exists but does not accept new files (a virtual or special file system))',
    );
  }, 60_000);
});

describe('pfm eval on degenerate data', () => {
  it('warns about each point cloud by name and still prints the value', async () => {
    const dir = scratchDir();
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeFileSync(a, '1,2\n1,2\n');
    writeFileSync(b, '0,1\n2,1\n3,1\n');
    const result = await runPfm(['eval', '--metric', 'energy', '--a', a, '--b', b, '--backend', 'cpu']);
    expect(result.code).toBe(0);
    expect(Number(result.stdout.trim())).toBeGreaterThan(0);
    expect(result.stderr.split('\n').filter((l) => l.length > 0)).toEqual([
      `pfm eval: warning: all 2 points of ${a} are the same point: the data have no spread to learn`,
      `pfm eval: warning: 1 of 2 columns of ${b} are constant (0-based: 1): the model learns nothing about it but their value`,
    ]);
  }, 60_000);
});
