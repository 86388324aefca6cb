import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng.js';
import { learningRateAt, type ScheduleConfig } from '../train/schedule.js';
import { createOptimizer, type OptimizerPath } from '../train/optimizer.js';
import { adam } from './adam.js';
import { adamw } from './adamw.js';
import { chain } from './chain.js';
import type { GradientTransformation } from './gradient-transformation.js';
import { scaleByAdam } from './scale-by-adam.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { sgd } from './sgd.js';
import { trace } from './trace.js';

const f32 = Math.fround;

interface Closed {
  name: 'adam' | 'adamw' | 'sgd';
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  momentum: number;
  schedule: ScheduleConfig;
}

/**
 * The update rules written out in closed form, one fused float32 loop per variable, exactly as the
 * optimizer computed them before it became a chain of transforms (no clipping): the reference the
 * chained presets must reproduce bit for bit.
 */
function closedForm(c: Closed, w0: Float32Array[], gradients: Float32Array[][]): Float32Array[] {
  const w = w0.map((a) => a.slice());
  const m = w.map((a) => new Float32Array(a.length));
  const s = w.map((a) => new Float32Array(a.length));
  gradients.forEach((g, step) => {
    const lrValue = learningRateAt(c.lr, c.schedule, step, gradients.length);
    const lr = f32(lrValue);
    const decay = c.name === 'adamw' && c.weightDecay > 0 ? f32(lrValue * c.weightDecay) : 0;
    const c1 = f32(1 - Math.pow(c.beta1, step + 1));
    const c2 = f32(1 - Math.pow(c.beta2, step + 1));
    w.forEach((wi, i) => {
      const gi = g[i]!;
      for (let j = 0; j < wi.length; j++) {
        if (c.name === 'sgd') {
          let u = gi[j]!;
          if (c.momentum > 0) u = m[i]![j] = f32(f32(m[i]![j]! * f32(c.momentum)) + u);
          wi[j] = f32(wi[j]! - f32(u * lr));
          continue;
        }
        const mj = (m[i]![j] = f32(f32(m[i]![j]! * f32(c.beta1)) + f32(gi[j]! * f32(1 - c.beta1))));
        const sj = (s[i]![j] = f32(f32(s[i]![j]! * f32(c.beta2)) + f32(f32(gi[j]! * gi[j]!) * f32(1 - c.beta2))));
        const update = f32(f32(mj / c1) / f32(f32(Math.sqrt(f32(sj / c2))) + f32(c.epsilon)));
        const old = wi[j]!;
        let value = f32(old - f32(update * lr));
        if (decay !== 0) value = f32(value - f32(old * decay));
        wi[j] = value;
      }
    });
  });
  return w;
}

const SHAPES = [[6, 4], [4], [1]];
const STEPS = 10;
const CONSTANT: ScheduleConfig = { name: 'constant', warmupSteps: 0, minFactor: 0 };

/** A fixed gradient sequence (seeded normals of very different sizes) and start values. */
function fixture(): { w0: Float32Array[]; gradients: Float32Array[][] } {
  const rng = createRng(11);
  const read = (t: tf.Tensor) => {
    const a = t.dataSync() as Float32Array;
    t.dispose();
    return a;
  };
  return {
    w0: SHAPES.map((shape, i) => read(rng.fold(i).normal(shape))),
    gradients: Array.from({ length: STEPS }, (_, step) => SHAPES.map((shape, i) => read(tf.tidy(() => tf.mul(rng.fold(50 + 7 * step + i).normal(shape), 10 ** (i - 1)))))),
  };
}

function runOptimizer(options: Parameters<typeof createOptimizer>[0], path: OptimizerPath, data: ReturnType<typeof fixture>): Float32Array[] {
  const variables = data.w0.map((a, i) => tf.tidy(() => tf.variable(tf.tensor(a, SHAPES[i]!))));
  const optimizer = createOptimizer(options, variables, path);
  data.gradients.forEach((g, step) => {
    const grads = g.map((a, i) => tf.tensor(a, SHAPES[i]!));
    optimizer.apply(grads, step, data.gradients.length);
    tf.dispose(grads);
  });
  const out = variables.map((v) => v.dataSync() as Float32Array);
  optimizer.dispose();
  tf.dispose(variables);
  return out;
}

const CASES: Array<[string, Closed]> = [
  ['adamw (λ = 0.05, cosine schedule with warm-up)', { name: 'adamw', lr: 0.003, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.05, momentum: 0, schedule: { name: 'cosine', warmupSteps: 3, minFactor: 0.1 } }],
  ['adamw (λ = 0.3, β₂ = 0.9)', { name: 'adamw', lr: 0.02, beta1: 0.8, beta2: 0.9, epsilon: 1e-3, weightDecay: 0.3, momentum: 0, schedule: CONSTANT }],
  ['adam', { name: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, momentum: 0, schedule: CONSTANT }],
  ['sgd with momentum', { name: 'sgd', lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, momentum: 0.9, schedule: CONSTANT }],
];

describe('optimizer presets built by chain', () => {
  it.each(CASES)('%s: both paths give the bits of the closed-form update', (_label, closed) => {
    const before = tf.memory().numTensors;
    const data = fixture();
    const expected = closedForm(closed, data.w0, data.gradients);
    for (const path of ['host', 'tensor'] as const) {
      const got = runOptimizer(closed, path, data);
      got.forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(expected[i]!)));
    }
    // The same preset reached through a registry reference gives the same bits.
    const { name, ...options } = closed;
    const byId = runOptimizer({ id: name, options }, 'host', data);
    byId.forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(expected[i]!)));
    expect(tf.memory().numTensors).toBe(before);
  });

  it("keeps today's checkpoint slot names: adam and adamw m, v; sgd with momentum m; plain sgd none", () => {
    expect(adam().slots).toEqual(['m', 'v']);
    expect(adamw({ weightDecay: 0.1, clipNorm: 1 }).slots).toEqual(['m', 'v']);
    expect(sgd({ momentum: 0.9 }).slots).toEqual(['m']);
    expect(sgd().slots).toEqual([]);
  });
});

describe('chain', () => {
  it('renames a repeated slot name by member index and splits the state back per member', () => {
    const before = tf.memory().numTensors;
    const t = chain(trace(0.5), trace(0.5), scaleByLearningRate(1));
    expect(t.slots).toEqual(['m', '1.m']);
    const params = [tf.zeros([2])];
    const state = t.init(params);
    const g = tf.tensor1d([1, 2]);
    const [scales, second] = tf.tidy(() => {
      const [updates, next] = t.update([{ values: [g], scale: 1 }], state, params, { step: 0, totalSteps: 1, lrScale: 1 });
      return [updates.map((u) => u.scale), Array.from(next['1.m']![0]!.dataSync())];
    });
    // trace of a trace: m₁ = g, m₂ = m₁ = g on the first step; then scaled by −1.
    expect(second).toEqual([1, 2]);
    expect(scales).toEqual([-1]);
    tf.dispose([...params, g, ...Object.values(state).flat()]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('has a host path only when every member has one, and rejects a member that is not a transformation', () => {
    const before = tf.memory().numTensors;
    const tensorOnly: GradientTransformation = { ...scaleByAdam(), host: undefined };
    const t = chain(tensorOnly, scaleByLearningRate(0.1));
    expect(t.host).toBeUndefined();
    expect(chain(scaleByAdam(), scaleByLearningRate(0.1)).host).toBeDefined();
    expect(() => chain(scaleByAdam(), {} as GradientTransformation)).toThrow(/argument 1 is not a gradient transformation/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad primitive options, naming the field and the value', () => {
    expect(() => trace(1.5)).toThrow(/"decay" must be in \[0, 1\], got 1.5/);
    expect(() => scaleByAdam({ beta2: -1 })).toThrow(/"beta2" must be in \[0, 1\], got -1/);
    expect(() => scaleByLearningRate(0)).toThrow(/"learningRate" must be a finite number > 0, got 0/);
  });
});
