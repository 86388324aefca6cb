// Smoke test of the MNIST track on pfm's side with tiny budgets: 64 training and 16 test digits,
// two steps per method, 16 samples; the records, the NFE and training-time curves, bits/dim, the
// recipes, the teacher hand-over, the grids and resuming are checked, not the numbers' quality.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { parseRecipe } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { benchRegistry } from '../registry/bench-registry.js';
import { parseMnistArgs } from './mnist-args.js';
import { spacedRows } from './mnist-split.js';
import { useTinyMnistSplit } from './tiny-mnist-split.js';
import { runMnist, twinArgv, twinFiles } from './run-mnist.js';

const { out, split } = useTinyMnistSplit('pfm-mnist-');

const tiny = ['--steps', '2', '--batch-size', '8', '--samples', '16', '--checkpoint-samples', '8', '--checkpoints', '0.5', '--nfe-steps', '1,2', '--train-size', '64', '--pfm-only'];

describe('bench --suite mnist (pfm side)', () => {
  const args = parseMnistArgs([...tiny, '--methods', 'flow-matching,distill,realnvp', '--out', out])!;
  args.flowSamplerSteps = 2;
  args.distillPairs = 8;
  args.distillTeacherSteps = 1;

  it('trains each method, measures it on the test digits and writes mnist.json, mnist.md, recipes and grids', async () => {
    const lines: string[] = [];
    const inside = tf.memory().numTensors;
    const records = await runMnist(args, benchRegistry(), (line) => lines.push(line), split());
    expect(tf.memory().numTensors).toBe(inside);
    expect(records.map((r) => [r.method, r.impl, r.status, r.error])).toEqual([
      ['flow-matching', 'pfm', 'ok', undefined],
      ['distill', 'pfm', 'ok', undefined],
      ['realnvp', 'pfm', 'ok', undefined],
    ]);
    const [fm, distill, nvp] = records.map((r) => r.metrics!);
    for (const m of [fm!, distill!, nvp!]) {
      expect(m.fld).toBeGreaterThan(0);
      expect(Number.isFinite(m.kid)).toBe(true);
      expect(m.steps).toBe(2);
      expect(m.stoppedBy).toBe('steps');
      expect(m.sampleMsPerImage).toBeGreaterThan(0);
      expect(m.wallSeconds).toBeGreaterThanOrEqual(m.trainSeconds);
      // One checkpoint at half the steps, then the end.
      expect(m.fldByTime.map((p) => p.step)).toEqual([1, 2]);
      expect(m.fldByTime[1]!.seconds).toBeGreaterThan(m.fldByTime[0]!.seconds);
    }
    expect(fm!.nfe).toBe(2);
    expect(fm!.fldByNfe.map((p) => p.nfe)).toEqual([1, 2]);
    // The sweep's point at the default sampler is the headline FLD itself.
    expect(fm!.fldByNfe[1]!.fld).toBe(fm!.fld);
    expect(fm!.fldByNfe[0]!.fld).not.toBe(fm!.fld);
    expect(distill!.nfe).toBe(1);
    expect(distill!.fldByNfe).toEqual([]);
    expect(fm!.bitsPerDim).toBeNull();
    // Dequantised pixels under a barely trained flow: well above 0, finite.
    expect(nvp!.bitsPerDim).toBeGreaterThan(0);
    expect(Number.isFinite(nvp!.bitsPerDim)).toBe(true);

    const file = JSON.parse(readFileSync(join(out, 'mnist.json'), 'utf8')) as { format: string; records: unknown[] };
    expect(file.format).toBe('pfm-bench-mnist');
    expect(file.records).toHaveLength(3);
    const md = readFileSync(join(out, 'mnist.md'), 'utf8');
    expect(md).toContain('## realnvp');
    expect(md).toContain('FLD against NFE (Euler), pfm: 1 →');
    expect(md).toContain('twin not run (--pfm-only)');
    expect(md).not.toContain('| torch |');
    // The recipes a user or the twin re-runs are valid recipes as they are.
    for (const name of ['flow-matching-seed0', 'distill-seed0', 'distill-seed0.teacher', 'realnvp-seed0']) {
      const recipe = JSON.parse(readFileSync(join(out, 'recipes', `${name}.json`), 'utf8')) as Record<string, unknown>;
      expect(() => parseRecipe(recipe, benchRegistry())).not.toThrow();
    }
    // The distillation's teacher is the flow-matching model trained just before.
    const teacher = JSON.parse(readFileSync(join(out, 'models', 'flow-matching-seed0.json'), 'utf8')) as { method: string };
    expect(teacher.method).toBe('flow-matching');
    const png = readFileSync(join(out, 'realnvp-seed0.png'));
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(lines).toHaveLength(3);
  });

  it('a second invocation skips the finished runs', async () => {
    const lines: string[] = [];
    const records = await runMnist(args, benchRegistry(), (line) => lines.push(line), split());
    expect(records).toHaveLength(3);
    expect(lines).toHaveLength(0);
  });

  it('the minute budget ends training before the steps run out', async () => {
    const other = mkdtempSync(join(out, 'minutes-'));
    const quick = parseMnistArgs([...tiny, '--methods', 'energy', '--steps', '100000', '--minutes', '0.001', '--checkpoints', '0.5', '--out', other])!;
    const [record] = await runMnist(quick, benchRegistry(), () => {}, split());
    expect(record!.status).toBe('ok');
    const m = record!.metrics!;
    expect(m.stoppedBy).toBe('minutes');
    expect(m.steps).toBeLessThan(100_000);
    expect(m.trainSeconds).toBeGreaterThanOrEqual(0.06);
  });

  it('a results file of another kind is refused, not overwritten', async () => {
    const other = mkdtempSync(join(out, 'other-'));
    writeFileSync(join(other, 'mnist.json'), '{"format":"pfm-bench-parity"}');
    await expect(runMnist({ ...args, out: other }, benchRegistry(), () => {}, split())).rejects.toThrow(/not an MNIST results file/);
    expect(readFileSync(join(other, 'mnist.json'), 'utf8')).toBe('{"format":"pfm-bench-parity"}');
  });
});

describe('spacedRows', () => {
  it('keeps every class of a split ordered by digit', () => {
    expect([...spacedRows(10, 5)]).toEqual([0, 2, 4, 6, 8]);
    expect([...spacedRows(9000, 9000)].every((r, i) => r === i)).toBe(true);
    expect(() => spacedRows(10, 11)).toThrow(/train size must be an integer in \[1, 10\], got 11/);
  });
});

describe('twinArgv', () => {
  it('passes the recipe, the training digits, the sample count and seed, the threads and the minute budget', () => {
    const argv = twinArgv('twin.py', { recipe: 'r.json', train: 't.npy', out: 's.npy' }, { samples: 1000, threads: 1, minutes: 0.5 }, 2);
    expect(argv).toEqual(['twin.py', '--recipe', 'r.json', '--train', 't.npy', '--samples', '1000', '--sample-seed', '1002', '--out', 's.npy', '--threads', '1', '--time-limit', '0.5']);
    // With the test digits, the twin's density models report their bits/dim on them.
    expect(twinArgv('twin.py', { recipe: 'r.json', train: 't.npy', out: 's.npy', test: 'e.npy' }, { samples: 1000, threads: 1, minutes: 0.5 }, 2).slice(-2)).toEqual(['--test', 'e.npy']);
  });
  it('hands flow matching\'s weights to the distillation of the same seed, with its teacher recipe', () => {
    const fm = twinFiles('/out', 'flow-matching', 3);
    const distill = twinFiles('/out', 'distill', 3);
    expect(fm).toEqual({ saveWeights: resolve('/out', 'twin', 'flow-matching-seed3.pt') });
    expect(distill).toEqual({ teacher: resolve('/out', 'recipes', 'distill-seed3.teacher.json'), teacherWeights: fm.saveWeights });
    expect(twinFiles('/out', 'energy', 3)).toEqual({});
    const argv = twinArgv('twin.py', { recipe: 'r.json', train: 't.npy', out: 's.npy' }, { samples: 10, threads: 1, minutes: 1 }, 3, distill);
    expect(argv.slice(-4)).toEqual(['--teacher', distill.teacher, '--teacher-weights', fm.saveWeights]);
  });
});
