// Smoke test of the quality matrix: 2 methods × 1 data set × 1 seed, a few steps, small samples,
// in a temporary folder; the outputs are checked against their schema, and a second invocation
// must skip the finished runs (resume by config hash).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../cli/bench-args.js';
import { benchRegistry } from '../registry/bench-registry.js';
import { resultsFileSchema } from '../results/results-schema.js';
import { BENCH_DATASETS } from './bench-datasets.js';
import { runMatrix, unsupportedReason } from './run-matrix.js';

const out = mkdtempSync(join(tmpdir(), 'pfm-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('bench --quick smoke test', () => {
  // One job: this test covers the in-process path (matrix-pool.test.ts covers --jobs).
  const argv = ['--quick', '--jobs', '1', '--methods', 'flow-matching,vae', '--datasets', 'moons', '--seeds', '0', '--steps', '20', '--samples', '128', '--out', out];

  it('trains, evaluates and writes results.json, results.md and the plots', async () => {
    const args = parseBenchArgs(argv)!;
    const records = await runMatrix(args, benchRegistry(), tf.getBackend());
    const file = resultsFileSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    expect(file.records).toHaveLength(2);
    expect(records).toHaveLength(2);
    for (const r of file.records) {
      expect(r.status, r.error).toBe('ok');
      expect(r.dataset).toBe('moons');
      expect(r.config.steps).toBe(20);
      expect(r.settings.samples).toBe(128);
      // Two different finite clouds: every discrepancy is positive and W2 is within the data's scale.
      expect(r.metrics!.w2).toBeGreaterThan(0);
      expect(r.metrics!.w2).toBeLessThan(10);
      expect(r.metrics!.slicedW).toBeGreaterThan(0);
      expect(r.metrics!.paramCount).toBeGreaterThan(1000);
      expect(r.lossCurve).toHaveLength(20);
      expect(r.preview).toHaveLength(2 * 128);
      expect(r.leakedTensors).toBe(0);
      // 128 samples: too few for 1,000-point blocks; the floor at n against n is still measured.
      expect(r.metrics!.w2At1000).toBeNull();
      expect(r.metrics!.dataFloor!.w2).toBeGreaterThan(0);
      expect(r.metrics!.dataFloor!.w2At1000).toBeNull();
    }
    const fm = file.records.find((r) => r.method === 'flow-matching')!;
    expect(fm.metrics!.nfe).toBe(100);
    // Flow models have a density now (the instantaneous change of variables), so the bench reports it.
    expect(Number.isFinite(fm.metrics!.nll)).toBe(true);
    expect(fm.nfeSweep!.map((p) => p.nfe)).toEqual([1, 2, 4, 10, 100]);
    const vae = file.records.find((r) => r.method === 'vae')!;
    expect(vae.metrics!.nfe).toBe(1);
    expect(vae.nfeSweep).toBeUndefined();
    expect(Number.isFinite(vae.metrics!.nll)).toBe(true);

    const md = readFileSync(join(out, 'results.md'), 'utf8');
    expect(md).toContain('## moons');
    expect(md).toMatch(/\| flow-matching \| flow-matching \| 1 \| [0-9.]+ \|/);
    // The published I-CFM number is printed beside ours (the ratio needs 1,000-point blocks), and the data floor above the table.
    expect(md).toContain('I-CFM 0.178');
    expect(md).toMatch(/Data floor \(W2 between the training set and the held-out points, two samples of the data\): [0-9.]+ at n against n/);
    for (const svg of ['samples.svg', 'loss-curves.svg', 'nfe-moons.svg']) {
      expect(existsSync(join(out, svg))).toBe(true);
      expect(readFileSync(join(out, svg), 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*<\/svg>$/);
    }
  });

  it('skips the runs already in results.json (same config hash)', async () => {
    const before = readFileSync(join(out, 'results.json'), 'utf8');
    const records = await runMatrix(parseBenchArgs(argv)!, benchRegistry(), tf.getBackend());
    expect(records).toHaveLength(2);
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe(before);
  });
});

describe('pairs a method declares unsupported', () => {
  it('are left out of the matrix and reported as skipped, not failed: coupling flows on 1-D data', async () => {
    const registry = benchRegistry();
    const line = BENCH_DATASETS.find((d) => d.name === 'uniform-1d')!;
    const moons = BENCH_DATASETS.find((d) => d.name === 'moons')!;
    expect(unsupportedReason(registry, 'nsf', line)).toBe('coupling layers need dim ≥ 2, the data has 1 column(s)');
    expect(unsupportedReason(registry, 'realnvp', line)).toBe('coupling layers need dim ≥ 2, the data has 1 column(s)');
    expect(unsupportedReason(registry, 'nsf', moons)).toBeUndefined();
    expect(unsupportedReason(registry, 'flow-matching', line)).toBeUndefined();

    const dir = mkdtempSync(join(tmpdir(), 'pfm-bench-skip-'));
    try {
      const args = parseBenchArgs(['--quick', '--methods', 'nsf,flow-matching', '--datasets', 'uniform-1d', '--seeds', '0', '--steps', '5', '--samples', '64', '--out', dir])!;
      const records = await runMatrix(args, registry, tf.getBackend());
      expect(records.map((r) => `${r.name} ${r.status}`)).toEqual(['flow-matching ok']);
      const md = readFileSync(join(dir, 'results.md'), 'utf8');
      expect(md).toContain('1 runs (1 ok, 0 failed; 1 config × data set pair skipped as unsupported by the method)');
      expect(md).toContain('| nsf | nsf | skipped: coupling layers need dim ≥ 2, the data has 1 column(s) |');
      expect(md).not.toContain('## Failed runs');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
