// Merging parity folders: records of runs made apart form one table; the later folder wins a run
// both hold, a finished run is kept over a failed one, and folders run with other settings are refused.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeParity } from './merge-parity.js';
import { parseParityArgs } from './parity-args.js';
import type { ParityFile } from './parity-file.js';

const root = mkdtempSync(join(tmpdir(), 'pfm-parity-merge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function record(seed: number, impl: 'pfm' | 'torch', w2: number, steps = 2000, status: 'ok' | 'failed' = 'ok'): ParityFile['records'][number] {
  const base = { target: 'banana', dim: 4, method: 'energy', seed, impl, key: JSON.stringify(['banana', 4, 'energy', seed, impl, steps, 10000, 5000]) };
  return status === 'ok'
    ? { ...base, status, metrics: { w2, slicedW2: w2 / 3, energy: w2 / 100, nll: null, trainSeconds: 1 } }
    : { ...base, status, error: 'stopped' };
}

function folder(name: string, records: ParityFile['records']): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'parity.json'), JSON.stringify({ format: 'pfm-bench-parity', version: 1, records }));
  return dir;
}

describe('bench --suite parity --merge', () => {
  it('parses --merge as a list of folders', () => {
    expect(parseParityArgs(['--merge', 'a,b', '--out', 'c'])!.merge).toEqual(['a', 'b']);
    expect(parseParityArgs([])!.merge).toEqual([]);
    expect(() => parseParityArgs(['--merge'])).toThrow(/--merge needs a value/);
  });

  it('merges per-seed folders into one table; the later folder wins a run both hold; a failed run never replaces a finished one', () => {
    const a = folder('seed0', [record(0, 'pfm', 0.6), record(0, 'torch', 0.7), record(1, 'pfm', 0.9)]);
    const b = folder('seed1', [record(1, 'pfm', 0.5), record(1, 'torch', 0.8), record(0, 'torch', 0.1, 2000, 'failed')]);
    const out = join(root, 'merged');
    const lines: string[] = [];
    const records = mergeParity([a, b], out, (line) => lines.push(line));
    expect(records.map((r) => [r.seed, r.impl, r.status, r.metrics?.w2])).toEqual([
      [0, 'pfm', 'ok', 0.6],
      [0, 'torch', 'ok', 0.7],
      [1, 'pfm', 'ok', 0.5],
      [1, 'torch', 'ok', 0.8],
    ]);
    expect(lines).toEqual([`${a}: 3 records, 3 kept`, `${b}: 3 records, 2 kept`]);
    const file = JSON.parse(readFileSync(join(out, 'parity.json'), 'utf8')) as ParityFile;
    expect(file.records).toHaveLength(4);
    const md = readFileSync(join(out, 'parity.md'), 'utf8');
    // pfm 0.6, 0.5 (mean 0.55) against the twin's 0.7, 0.8: better on W2.
    expect(md).toContain('| banana | 4 | energy | 0.550 ± 0.071 | 0.750 ± 0.071 |');
    expect(md).toContain('- merged from 2 folders; steps 2000, training set 10000, 5000 samples');
  });

  it('refuses folders run with other settings, and a folder without results', () => {
    const a = folder('steps2000', [record(0, 'pfm', 0.6)]);
    const b = folder('steps200', [record(0, 'torch', 0.7, 200)]);
    expect(() => mergeParity([a, b], join(root, 'never'), () => {})).toThrow(/different settings.*steps 2000.*steps 200/);
    expect(() => mergeParity([join(root, 'missing')], join(root, 'never'), () => {})).toThrow(/missing has no parity\.json/);
    // One data set for every seed (--data-seed) is another setting: such runs form tables of their own.
    const fixed = folder('data-seed-3', [{ ...record(1, 'pfm', 0.6), dataSeed: 3, key: JSON.stringify(['banana', 4, 'energy', 1, 'pfm', 2000, 10000, 5000, 3]) }]);
    expect(() => mergeParity([a, fixed], join(root, 'never'), () => {})).toThrow(/different settings.*5000 samples.*5000 samples, data seed 3/);
    expect(mergeParity([fixed], join(root, 'fixed-merged'), () => {}).map((r) => r.dataSeed)).toEqual([3]);
    // So is common sample noise (--common-noise), alone or after a data seed.
    const common = (seed: number, impl: 'pfm' | 'torch', ...extra: number[]) => ({ ...record(seed, impl, 0.6), commonNoise: true as const, key: JSON.stringify(['banana', 4, 'energy', seed, impl, 2000, 10000, 5000, ...extra, 'common-noise']) });
    const shared = folder('common', [common(0, 'pfm'), common(0, 'torch')]);
    expect(() => mergeParity([a, shared], join(root, 'never'), () => {})).toThrow(/different settings.*5000 samples.*5000 samples, common sample noise/);
    expect(mergeParity([shared], join(root, 'common-merged'), () => {}).map((r) => r.commonNoise)).toEqual([true, true]);
    const both = folder('common-data-seed', [common(1, 'pfm', 3)]);
    expect(() => mergeParity([fixed, both], join(root, 'never'), () => {})).toThrow(/data seed 3.*data seed 3, common sample noise/);
    const bad = folder('bad-key', [{ ...record(0, 'pfm', 0.6), key: JSON.stringify(['banana', 4, 'energy', 0, 'pfm', 2000, 10000, 5000, 'noise']) }]);
    expect(() => mergeParity([bad], join(root, 'never'), () => {})).toThrow(/is not \[target, dim, method, seed, side, steps, trainSize, samples\(, dataSeed\)\(, "common-noise"\)\]/);
    const other = folder('other', []);
    writeFileSync(join(other, 'parity.json'), '{"format":"pfm-bench-results"}');
    expect(() => mergeParity([other], join(root, 'never'), () => {})).toThrow(/not a parity results file/);
  });
});
