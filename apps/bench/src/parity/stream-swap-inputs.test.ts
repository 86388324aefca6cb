// The stream-swap input writer (reference/stream-swap-inputs.mjs) must write the streams pfm's run
// really uses: the first loss of the run, recomputed here from the written initial weights, noise
// and rows alone, must be the loss pfm's training reports. The PyTorch side (stream-swap.py) is
// checked against the twin where torch exists (bench README, stream-swap section).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { energyDistance } from '@pfm/ipm';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoot } from '../app-root.js';

const dir = mkdtempSync(join(tmpdir(), 'pfm-stream-swap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const N = 20;
const D = 3;
const B = 6;
const STEPS = 4;
const trainPath = join(dir, 'train.csv');
writeFileSync(trainPath, Array.from({ length: N }, (_, i) => Array.from({ length: D }, (_, j) => Math.sin(7 * i + 3 * j + 1).toFixed(4)).join(',')).join('\n'));

interface Written {
  report: { method: string; seed: number; steps: number; pfmFirstLosses: number[] };
  init: Array<{ shape: number[]; values: number[] }>;
  noise: Float32Array;
  times: Float32Array | undefined;
  rows: Int32Array;
}

function writeStreams(recipe: Record<string, unknown>, out: string, extra: string[] = []): Written {
  const recipePath = join(dir, `${out}.recipe.json`);
  writeFileSync(recipePath, JSON.stringify(recipe));
  const r = spawnSync(process.execPath, [join(appRoot(), 'reference', 'stream-swap-inputs.mjs'), '--recipe', recipePath, '--train', trainPath, '--out', join(dir, out), ...extra], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const seed = recipe.seed as number;
  const file = (name: string) => readFileSync(join(dir, out, name));
  const floats = (name: string) => new Float32Array(new Uint8Array(file(name)).buffer);
  return {
    report: JSON.parse(r.stdout.trim().split('\n').pop()!),
    init: JSON.parse(file(`init-${seed}.json`).toString()),
    noise: floats(`noise-${seed}.f32`),
    times: recipe.method === 'energy' ? undefined : floats(`t-${seed}.f32`),
    rows: new Int32Array(new Uint8Array(file(`idx-${seed}.i32`)).buffer),
  };
}

/** The MLP of the written weights (kernels [in, out], SELU between layers) applied to x. */
function mlpOf(init: Written['init'], x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  for (let i = 0; i < init.length; i += 2) {
    h = tf.add(tf.matMul(h, tf.tensor2d(init[i]!.values, init[i]!.shape as [number, number])), tf.tensor1d(init[i + 1]!.values));
    if (i + 2 < init.length) h = tf.selu(h);
  }
  return h;
}

const data = () => tf.tensor2d(readFileSync(trainPath, 'utf8').trim().split('\n').flatMap((line) => line.split(',').map(Number)), [N, D]);
const common = { model: { hidden: [8, 8], activation: 'selu' }, optimizer: { name: 'adamw', lr: 1e-3, weightDecay: 1e-5 }, steps: 2, batchSize: B };

describe('reference/stream-swap-inputs.mjs', () => {
  it('energy: the written weights, noise and rows give pfm\'s first loss; the rows are one permutation per epoch', () => {
    const before = tf.memory().numTensors;
    const w = writeStreams({ method: 'energy', options: {}, ...common, seed: 4 }, 'energy', ['--steps', String(STEPS)]);
    expect(w.report).toMatchObject({ method: 'energy', seed: 4, steps: STEPS });
    expect(w.init.map((t) => t.shape)).toEqual([[D, 8], [8], [8, 8], [8], [8, D], [D]]);
    expect(w.noise.length).toBe(STEPS * B * D);
    expect(w.rows.length).toBe(STEPS * B);
    expect([...w.rows.subarray(0, N)].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i));
    const recipe = JSON.parse(readFileSync(join(dir, 'energy', 'recipe-4.json'), 'utf8'));
    expect(recipe).toEqual({ method: 'energy', options: {}, ...common, seed: 4, steps: STEPS });
    const loss = tf.tidy(() => {
      const z = tf.tensor2d(w.noise.subarray(0, B * D), [B, D]);
      const batch = tf.gather(data(), tf.tensor1d(w.rows.subarray(0, B), 'int32')) as tf.Tensor2D;
      return energyDistance(mlpOf(w.init, z), batch).dataSync()[0]!;
    });
    expect(loss).toBeCloseTo(w.report.pfmFirstLosses[0]!, 5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('flow matching: x0, times and rows give pfm\'s first loss on the field v([x_t, t]); other seeds\' and the trained weights differ', () => {
    const before = tf.memory().numTensors;
    const w = writeStreams({ method: 'flow-matching', options: { sigma: 0 }, ...common, seed: 2 }, 'flow', ['--other-seeds', '5', '--pfm-samples']);
    expect(w.init[0]!.shape).toEqual([D + 1, 8]);
    expect(w.times!.length).toBe(2 * B);
    const other = JSON.parse(readFileSync(join(dir, 'flow', 'init-pfm-5.json'), 'utf8')) as Written['init'];
    expect(other.map((t) => t.shape)).toEqual(w.init.map((t) => t.shape));
    expect(other[0]!.values).not.toEqual(w.init[0]!.values);
    // --pfm-samples: the trained run's weights (trained: not the initial ones) and its 5,000 samples.
    const final = JSON.parse(readFileSync(join(dir, 'flow', 'final-2.json'), 'utf8')) as Written['init'];
    expect(final.map((t) => t.shape)).toEqual(w.init.map((t) => t.shape));
    expect(final[0]!.values).not.toEqual(w.init[0]!.values);
    expect(readFileSync(join(dir, 'flow', 'pfm-samples-2.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').length)).toEqual(new Array(5000).fill(D));
    const loss = tf.tidy(() => {
      const x0 = tf.tensor2d(w.noise.subarray(0, B * D), [B, D]);
      const t = tf.tensor2d(w.times!.subarray(0, B), [B, 1]);
      const x1 = tf.gather(data(), tf.tensor1d(w.rows.subarray(0, B), 'int32')) as tf.Tensor2D;
      const xt = tf.add(tf.mul(tf.sub(1, t), x0), tf.mul(t, x1));
      const v = mlpOf(w.init, tf.concat([xt, t], 1) as tf.Tensor2D);
      return tf.mean(tf.square(tf.sub(v, tf.sub(x1, x0)))).dataSync()[0]!;
    });
    expect(loss).toBeCloseTo(w.report.pfmFirstLosses[0]!, 5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a method without a swap and a bad --steps, naming them', () => {
    const path = join(dir, 'nsf.recipe.json');
    writeFileSync(path, JSON.stringify({ method: 'nsf', ...common, seed: 0 }));
    const script = join(appRoot(), 'reference', 'stream-swap-inputs.mjs');
    const nsf = spawnSync(process.execPath, [script, '--recipe', path, '--train', trainPath, '--out', join(dir, 'nsf')], { encoding: 'utf8' });
    expect(nsf.status).toBe(2);
    expect(nsf.stderr).toMatch(/method "nsf" has no stream swap/);
    writeFileSync(path, JSON.stringify({ method: 'energy', ...common, seed: 0 }));
    const steps = spawnSync(process.execPath, [script, '--recipe', path, '--train', trainPath, '--out', join(dir, 'nsf'), '--steps', '0'], { encoding: 'utf8' });
    expect(steps.status).toBe(2);
    expect(steps.stderr).toMatch(/--steps must be a positive integer, got 0/);
  });
});
