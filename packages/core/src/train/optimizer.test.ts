import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng.js';
import { createOptimizer, defaultOptimizerPath, HOST_OPTIMIZER_MAX_PARAMETERS_WASM, type OptimizerOptions, type OptimizerPath } from './optimizer.js';

const SHAPES = [[7, 5], [5], [1]];

/** Runs `steps` updates with seeded gradients from the same start; returns the variables' and slots' values. */
function trajectory(options: OptimizerOptions, path: OptimizerPath, steps: number): { values: Float32Array[]; slots: Record<string, Float32Array[]> } {
  const rng = createRng(3);
  const variables = SHAPES.map((shape, i) => tf.tidy(() => tf.variable(rng.fold(i).normal(shape))));
  const optimizer = createOptimizer(options, variables, path);
  try {
    for (let step = 0; step < steps; step++) {
      // Gradients of very different sizes, so clipping and the ε term both matter.
      const grads = SHAPES.map((shape, i) => tf.tidy(() => tf.mul(rng.fold(100 + 10 * step + i).normal(shape), 10 ** (i - 1))));
      optimizer.apply(grads, step, steps);
      tf.dispose(grads);
    }
    const state = optimizer.state();
    const slots = Object.fromEntries(Object.entries(state.slots).map(([k, ts]) => [k, ts.map((t) => t.dataSync() as Float32Array)]));
    for (const ts of Object.values(state.slots)) tf.dispose(ts);
    return { values: variables.map((v) => v.dataSync() as Float32Array), slots };
  } finally {
    optimizer.dispose();
    tf.dispose(variables);
  }
}

const CONFIGS: Array<[string, OptimizerOptions]> = [
  ['adam', { name: 'adam', lr: 0.01 }],
  ['adamw with a cosine schedule and warm-up', { name: 'adamw', lr: 0.003, weightDecay: 0.05, schedule: { name: 'cosine', warmupSteps: 3 } }],
  ['adam with β₂ = 0.9, ε = 1e-3', { name: 'adam', lr: 0.02, beta2: 0.9, epsilon: 1e-3 }],
  ['sgd', { name: 'sgd', lr: 0.1 }],
  ['sgd with momentum', { name: 'sgd', lr: 0.05, momentum: 0.9 }],
];

describe('optimizer: host loops and tfjs kernels', () => {
  it('takes the host path on cpu, and on wasm for small networks only', () => {
    const small = tf.tidy(() => tf.variable(tf.zeros([2])));
    const large = tf.tidy(() => tf.variable(tf.zeros([HOST_OPTIMIZER_MAX_PARAMETERS_WASM + 1])));
    expect(defaultOptimizerPath([small])).toBe('host');
    expect(defaultOptimizerPath([small, large])).toBe(tf.getBackend() === 'cpu' ? 'host' : 'tensor');
    tf.dispose([small, large]);
  });

  it.each(CONFIGS)('%s: the two paths give the same bits over 12 steps, slots included', (_label, options) => {
    const host = trajectory(options, 'host', 12);
    const tensor = trajectory(options, 'tensor', 12);
    host.values.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(tensor.values[i]!)));
    expect(Object.keys(host.slots).sort()).toEqual(Object.keys(tensor.slots).sort());
    for (const [name, arrays] of Object.entries(host.slots)) {
      arrays.forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(tensor.slots[name]![i]!)));
    }
  });

  it('clipping by global norm: the paths agree to float32 rounding of the norm', () => {
    const options: OptimizerOptions = { name: 'adam', lr: 0.01, clipNorm: 0.5 };
    const host = trajectory(options, 'host', 6);
    const tensor = trajectory(options, 'tensor', 6);
    host.values.forEach((v, i) => {
      const t = tensor.values[i]!;
      for (let j = 0; j < v.length; j++) expect(Math.abs(v[j]! - t[j]!)).toBeLessThan(1e-6 * (1 + Math.abs(t[j]!)));
    });
  });

  it("adam's first step moves each coordinate by lr·g/(|g| + ε) (m̂ = g, v̂ = g²)", () => {
    const g = [3, -0.25, 1e-6, 0];
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, 2, 3, 4])));
    const optimizer = createOptimizer({ name: 'adam', lr: 0.1, epsilon: 1e-8 }, [w], 'host');
    const grad = tf.tensor1d(g);
    optimizer.apply([grad], 0, 10);
    const got = Array.from(w.dataSync());
    grad.dispose();
    optimizer.dispose();
    w.dispose();
    [1, 2, 3, 4].forEach((w0, j) => expect(got[j]).toBeCloseTo(w0 - (0.1 * g[j]!) / (Math.abs(g[j]!) + 1e-8), 6));
  });

  it('restores a saved state on either path and continues identically', () => {
    const options: OptimizerOptions = { name: 'adamw', lr: 0.01, weightDecay: 0.01 };
    const run = (path: OptimizerPath, resumeAt: number | null) => {
      const rng = createRng(5);
      const w = tf.tidy(() => tf.variable(rng.normal([4, 3])));
      let optimizer = createOptimizer(options, [w], path);
      for (let step = 0; step < 8; step++) {
        if (step === resumeAt) {
          // Save, rebuild on the other path, restore: the slots travel as tensors.
          const state = optimizer.state();
          optimizer.dispose();
          optimizer = createOptimizer(options, [w], path === 'host' ? 'tensor' : 'host');
          optimizer.restore(state);
          for (const ts of Object.values(state.slots)) tf.dispose(ts);
        }
        const grad = rng.fold(step).normal([4, 3]);
        optimizer.apply([grad], step, 8);
        grad.dispose();
      }
      const out = Array.from(w.dataSync());
      optimizer.dispose();
      w.dispose();
      return out;
    };
    expect(run('host', 4)).toEqual(run('host', null));
    expect(run('tensor', 4)).toEqual(run('tensor', null));
  });

  it('rejects a state of the wrong shape and a wrong number of gradients', () => {
    const w = tf.tidy(() => tf.variable(tf.zeros([2, 2])));
    const optimizer = createOptimizer({ name: 'adam' }, [w], 'host');
    const bad = { slots: { m: [tf.zeros([3])], v: [tf.zeros([2, 2])] } };
    expect(() => optimizer.restore(bad)).toThrow(/slot "m"\[0\] has shape \[3\], expected \[2,2\]/);
    expect(() => optimizer.apply([], 0, 1)).toThrow(/0 gradients for 1 variables/);
    tf.dispose([...bad.slots.m, ...bad.slots.v]);
    optimizer.dispose();
    w.dispose();
  });
});
