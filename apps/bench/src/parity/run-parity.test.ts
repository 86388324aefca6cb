// Smoke test of the parity suite on pfm's side (the twin needs python and torch, which a CI machine
// has not): one target, one dimension, two methods (one with a likelihood), a few steps, in a
// temporary folder; the records, the table and the data files are checked, then a second
// invocation must skip the finished runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoot } from '../app-root.js';
import { benchRegistry } from '../registry/bench-registry.js';
import { parseParityArgs } from './parity-args.js';
import { TWIN_SCRIPT, readCsvRows, runParity } from './run-parity.js';

const out = mkdtempSync(join(tmpdir(), 'pfm-parity-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('bench --suite parity (pfm side)', () => {
  const argv = ['--targets', 'banana', '--dims', '3', '--methods', 'flow-matching,realnvp', '--seeds', '0', '--steps', '5'];
  const args = parseParityArgs([...argv, '--train-size', '256', '--samples', '64', '--pfm-only', '--out', out])!;

  it('trains each method, measures it on the held-out points and writes parity.json and parity.md', async () => {
    const lines: string[] = [];
    const records = await runParity(args, benchRegistry(), (line) => lines.push(line));
    expect(records.map((r) => [r.method, r.impl, r.status, r.error])).toEqual([
      ['flow-matching', 'pfm', 'ok', undefined],
      ['realnvp', 'pfm', 'ok', undefined],
    ]);
    const [fm, nvp] = records.map((r) => r.metrics!);
    for (const m of [fm!, nvp!]) {
      expect(m.w2).toBeGreaterThan(0);
      expect(m.slicedW2).toBeGreaterThan(0);
      expect(m.slicedW2).toBeLessThan(m.w2 + 1e-6); // a projection never moves mass farther than W2 does
      expect(Number.isFinite(m.energy)).toBe(true);
    }
    // Flow models have a density now (the instantaneous change of variables), so the pfm side reports it.
    expect(Number.isFinite(fm!.nll)).toBe(true);
    expect(Number.isFinite(nvp!.nll)).toBe(true);
    const file = JSON.parse(readFileSync(join(out, 'parity.json'), 'utf8')) as { format: string; records: unknown[] };
    expect(file.format).toBe('pfm-bench-parity');
    expect(file.records).toHaveLength(2);
    const md = readFileSync(join(out, 'parity.md'), 'utf8');
    expect(md).toContain('| banana | 3 | realnvp |');
    expect(md).toContain('twin not run');
    // The held-out points the twin would read: 64 rows of 3 numbers.
    expect(readCsvRows(join(out, 'data', 'banana-d3-seed0-test.csv'), 3)).toHaveLength(64 * 3);
    expect(lines).toHaveLength(3); // the data, then one line per run
    expect(lines[0]).toBe('banana d=3: data of seed 0 (256 training, 64 held-out points)');
  });

  it('a second invocation skips the finished runs', async () => {
    const lines: string[] = [];
    const records = await runParity(args, benchRegistry(), (line) => lines.push(line));
    expect(records).toHaveLength(2);
    expect(lines).toHaveLength(0);
  });

  it('--no-flow-nll drops the flow field\'s test NLL and keeps the coupling flow\'s', async () => {
    const other = mkdtempSync(join(out, 'no-nll-'));
    const noNll = parseParityArgs([...argv, '--train-size', '256', '--samples', '64', '--pfm-only', '--no-flow-nll', '--out', other])!;
    expect(noNll.noFlowNll).toBe(true);
    const before = tf.memory().numTensors;
    const records = await runParity(noNll, benchRegistry(), () => {});
    expect(tf.memory().numTensors).toBe(before);
    const [fm, nvp] = records.map((r) => r.metrics!);
    expect(fm!.nll).toBeNull();
    expect(Number.isFinite(nvp!.nll)).toBe(true);
    // The same seed and recipe: the samples, hence the sample metrics, do not depend on the NLL.
    const first = (JSON.parse(readFileSync(join(out, 'parity.json'), 'utf8')) as { records: { metrics: { w2: number } }[] }).records[0]!;
    expect(fm!.w2).toBeCloseTo(first.metrics.w2, 5);
    expect(readFileSync(join(other, 'parity.md'), 'utf8')).toContain('no test NLL (--no-flow-nll)');
  });

  it('--data-seed draws one training and held-out set for every seed; the seeds keep their own runs', async () => {
    const other = mkdtempSync(join(out, 'data-seed-'));
    const fixed = parseParityArgs(['--targets', 'banana', '--dims', '3', '--methods', 'realnvp', '--seeds', '0,1', '--steps', '5', '--data-seed', '7', '--train-size', '256', '--samples', '64', '--pfm-only', '--out', other])!;
    expect(fixed.dataSeed).toBe(7);
    const lines: string[] = [];
    const records = await runParity(fixed, benchRegistry(), (line) => lines.push(line));
    expect(records.map((r) => [r.seed, r.dataSeed, r.status])).toEqual([
      [0, 7, 'ok'],
      [1, 7, 'ok'],
    ]);
    // The set is drawn once for both seeds (and not again when every run is done, below).
    expect(lines.filter((l) => l.includes('data of seed'))).toEqual(['banana d=3: data of seed 7 (256 training, 64 held-out points)']);
    // Two seeds, two models: their samples differ although the data is one set.
    expect(records[0]!.metrics!.w2).not.toBe(records[1]!.metrics!.w2);
    expect(readCsvRows(join(other, 'data', 'banana-d3-seed7-test.csv'), 3)).toHaveLength(64 * 3);
    expect(readFileSync(join(other, 'parity.md'), 'utf8')).toContain('drawn with data seed 7');
    expect(() => parseParityArgs(['--data-seed', '-1'])).toThrow(/--data-seed must be an integer ≥ 0/);
    rmSync(join(other, 'data'), { recursive: true });
    const again: string[] = [];
    await runParity(fixed, benchRegistry(), (line) => again.push(line));
    expect(again.filter((l) => l.includes('data of seed'))).toEqual([]);
    expect(existsSync(join(other, 'data'))).toBe(false);
  });

  it('--common-noise marks the records and the table; pfm\'s samples are unchanged by it', async () => {
    const other = mkdtempSync(join(out, 'common-noise-'));
    const common = parseParityArgs([...argv, '--methods', 'realnvp', '--train-size', '256', '--samples', '64', '--pfm-only', '--common-noise', '--out', other])!;
    expect(common.commonNoise).toBe(true);
    expect(parseParityArgs([])!.commonNoise).toBe(false);
    const records = await runParity(common, benchRegistry(), () => {});
    expect(records.map((r) => [r.method, r.commonNoise])).toEqual([['realnvp', true]]);
    const saved = JSON.parse(readFileSync(join(other, 'parity.json'), 'utf8')) as { records: { key: string }[] };
    expect(saved.records.map((r) => JSON.parse(r.key).at(-1))).toEqual(['common-noise']);
    // pfm draws its samples from the same stream either way: the shared noise is pfm's own draw.
    const first = JSON.parse(readFileSync(join(out, 'parity.json'), 'utf8')) as { records: { method: string; metrics: { w2: number } }[] };
    expect(records[0]!.metrics!.w2).toBeCloseTo(first.records.find((r) => r.method === 'realnvp')!.metrics.w2, 5);
    expect(readFileSync(join(other, 'parity.md'), 'utf8')).toContain('common sample noise');
  });

  it('a results file of another kind is refused, not overwritten', async () => {
    const other = mkdtempSync(join(out, 'other-'));
    writeFileSync(join(other, 'parity.json'), '{"format":"pfm-bench-results"}');
    await expect(runParity({ ...args, out: other }, benchRegistry(), () => {})).rejects.toThrow(/not a parity results file/);
    expect(readFileSync(join(other, 'parity.json'), 'utf8')).toBe('{"format":"pfm-bench-results"}');
  });

  it('readCsvRows names the file, row and column of a bad value', () => {
    const path = join(out, 'bad.csv');
    writeFileSync(path, '1,2\n3,x\n');
    expect(() => readCsvRows(path, 2)).toThrow(/bad\.csv: row 2, column 2: "x" is not a number/);
    writeFileSync(path, '1,2\n3\n');
    expect(() => readCsvRows(path, 2)).toThrow(/bad\.csv: row 2 has 1 columns, expected 2/);
    writeFileSync(path, '1,2,3\n4,5,6\n');
    expect(() => readCsvRows(path, 2)).toThrow(/bad\.csv: 3 columns, expected 2/);
  });

  // The twin itself needs torch; where a python 3 exists, it must at least compile.
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0);
  it.skipIf(python === undefined)('the PyTorch twin script and every other reference script compile', () => {
    const scripts = readdirSync(join(appRoot(), 'reference')).filter((f) => f.endsWith('.py')).map((f) => join(appRoot(), 'reference', f));
    expect(scripts).toContain(join(appRoot(), TWIN_SCRIPT));
    const parse = 'import ast, sys\nfor p in sys.argv[1:]: ast.parse(open(p, encoding="utf-8").read(), p)';
    const r = spawnSync(python!, ['-c', parse, ...scripts], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
});
