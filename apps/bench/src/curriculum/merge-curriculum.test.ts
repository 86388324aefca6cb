// Merging curriculum folders: records of runs made apart form one table; the later folder wins a
// run both hold, a finished run is kept over a failed one, and folders run with other settings are refused.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCurriculumArgs } from './curriculum-args.js';
import type { CurriculumRecord } from './curriculum-summary.js';
import { mergeCurriculum, type CurriculumFile } from './merge-curriculum.js';

const root = mkdtempSync(join(tmpdir(), 'pfm-curriculum-merge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function record(seed: number, variant: 'plain' | 'curriculum', reached: number, energy: number, status: 'ok' | 'failed' = 'ok'): CurriculumRecord {
  const base = { target: 'grid', method: 'gan', variant, seed };
  return status === 'ok'
    ? { ...base, status, metrics: { covered: 0, reached, modes: 25, highQuality: 0.01, energy, nonFinite: 0, trainSeconds: 1, steps: 2000, cpuSeconds: 1 } }
    : { ...base, status, error: 'stopped' };
}

function digitsRecord(seed: number, variant: 'plain' | 'curriculum', fld: number): CurriculumRecord {
  return { target: 'mnist', method: 'energy', variant, seed, status: 'ok', metrics: { covered: 10, reached: null, modes: 10, highQuality: 0.5, energy: null, fld, nonFinite: 0, trainSeconds: 1, steps: 300, cpuSeconds: 1 } };
}

function folder(name: string, records: CurriculumRecord[], steps = 2000, seeds = [0], extra: string[] = []): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const { out: _out, threads: _threads, merge: _merge, ...kept } = parseCurriculumArgs(['--steps', String(steps), '--seeds', seeds.join(','), ...extra])!;
  writeFileSync(join(dir, 'curriculum.json'), JSON.stringify({ format: 'pfm-bench-curriculum', version: 1, args: kept, records }));
  return dir;
}

describe('bench --suite curriculum --merge', () => {
  it('parses --merge as a list of folders', () => {
    expect(parseCurriculumArgs(['--merge', 'a,b', '--out', 'c'])!.merge).toEqual(['a', 'b']);
    expect(parseCurriculumArgs([])!.merge).toEqual([]);
    expect(() => parseCurriculumArgs(['--merge'])).toThrow(/--merge needs a value/);
  });

  it('merges per-seed folders into one table; the later folder wins a run both hold; a failed run never replaces a finished one', () => {
    const a = folder('seeds01', [record(0, 'plain', 20, 0.3), record(0, 'curriculum', 22, 0.2), record(1, 'plain', 10, 0.9)], 2000, [0, 1]);
    const b = folder('seed1', [record(1, 'plain', 14, 0.5), record(1, 'curriculum', 24, 0.4), record(0, 'curriculum', 1, 9, 'failed')], 2000, [1]);
    const out = join(root, 'merged');
    const lines: string[] = [];
    const records = mergeCurriculum([a, b], out, (line) => lines.push(line));
    expect(records.map((r) => [r.seed, r.variant, r.status, r.metrics?.reached])).toEqual([
      [0, 'plain', 'ok', 20],
      [0, 'curriculum', 'ok', 22],
      [1, 'plain', 'ok', 14],
      [1, 'curriculum', 'ok', 24],
    ]);
    expect(lines).toEqual([`${a}: 3 records, 3 kept`, `${b}: 3 records, 2 kept`]);
    const file = JSON.parse(readFileSync(join(out, 'curriculum.json'), 'utf8')) as CurriculumFile;
    expect(file.records).toHaveLength(4);
    expect(file.args.seeds).toEqual([0, 1]);
    const md = readFileSync(join(out, 'curriculum.md'), 'utf8');
    // Plain reaches 20 and 14 (mean 17, std 4.2), the curriculum 22 and 24 (mean 23, std 1.4).
    expect(md).toContain('| gan | plain | 2 | 0/2 | 0.0 ± 0.0 / 25 | 17.0 ± 4.2 / 25 | 0.010 ± 0.000 | 0.4000 ± 0.1414 |');
    expect(md).toContain('| gan | curriculum | 2 | 0/2 | 0.0 ± 0.0 / 25 | 23.0 ± 1.4 / 25 |');
    expect(md).toContain('Merged from 2 folders: 2000 steps, batch 256, 10000 training points, 2500 samples, seeds 0, 1.');
  });

  it('refuses folders run with other settings, a folder without results and a file of another kind', () => {
    const a = folder('steps2000', [record(0, 'plain', 20, 0.3)]);
    const b = folder('steps600', [record(0, 'curriculum', 20, 0.3)], 600);
    expect(() => mergeCurriculum([a, b], join(root, 'never'), () => {})).toThrow(/different settings.*2000 steps.*600 steps/);
    expect(() => mergeCurriculum([join(root, 'missing')], join(root, 'never'), () => {})).toThrow(/missing has no curriculum\.json/);
    const other = folder('other', []);
    writeFileSync(join(other, 'curriculum.json'), '{"format":"pfm-bench-parity","version":1,"records":[]}');
    expect(() => mergeCurriculum([other], join(root, 'never'), () => {})).toThrow(/other\/curriculum\.json: not a curriculum results file/);
    writeFileSync(join(other, 'curriculum.json'), '{"format":');
    expect(() => mergeCurriculum([other], join(root, 'never'), () => {})).toThrow(/other\/curriculum\.json: not valid JSON/);
  });

  it('merges MNIST folders with point folders run at other point settings; refuses MNIST folders run with other MNIST settings', () => {
    const points = folder('points600', [record(0, 'plain', 20, 0.3)], 600);
    const a = folder('digits-a', [digitsRecord(0, 'plain', 40), digitsRecord(0, 'curriculum', 50)], 2000, [0], ['--mnist-steps', '300']);
    const b = folder('digits-b', [digitsRecord(1, 'plain', 42)], 2000, [1], ['--mnist-steps', '300']);
    const out = join(root, 'merged-digits');
    const records = mergeCurriculum([points, a, b], out, () => {});
    expect(records.map((r) => `${r.target}/${r.seed}/${r.variant}`)).toEqual(['grid/0/plain', 'mnist/0/plain', 'mnist/0/curriculum', 'mnist/1/plain']);
    const file = JSON.parse(readFileSync(join(out, 'curriculum.json'), 'utf8')) as CurriculumFile;
    expect([file.args.steps, file.args.mnist?.steps]).toEqual([600, 300]);
    const md = readFileSync(join(out, 'curriculum.md'), 'utf8');
    expect(md).toContain('Merged from 3 folders: 600 steps, batch 256, 10000 training points, 2500 samples; MNIST 300 steps, batch 64, 9000 training digits, 1000 samples, seeds 0, 1.');
    expect(md).toContain('| energy | plain | 2 | 0/2 | 10.0 ± 0.0 / 10 | 0.500 ± 0.000 | 41.00 ± 1.41 | 300 ± 0 |');
    const c = folder('digits-c', [digitsRecord(2, 'plain', 42)], 2000, [2], ['--mnist-steps', '200']);
    expect(() => mergeCurriculum([a, c], join(root, 'never'), () => {})).toThrow(/different settings.*MNIST 300 steps.*MNIST 200 steps/);
  });
});
