import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng.js';
import { activate, type Activation } from './activations.js';
import { mlp } from './mlp.js';

/** The MLP's map written out with the composed ops, from its own variables. */
function composedMlp(z: tf.Tensor2D, variables: tf.Variable[], activation: Activation): tf.Tensor2D {
  let h: tf.Tensor = z;
  for (let i = 0; i < variables.length; i += 2) {
    const last = i + 2 === variables.length;
    h = activate(tf.add(tf.matMul(h, variables[i]!), variables[i + 1]!), last ? 'linear' : activation);
  }
  return h as tf.Tensor2D;
}

function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]!));
    worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  }
  return worst / Math.max(scale, 1e-30);
}

describe('mlp dense layers on the fused dense kernels', () => {
  it.each(['selu', 'relu', 'silu'] as const)('%s: one PfmFusedDense per layer where fusable, values and parameter gradients as the composed ops (batch 1 and 9)', (activation) => {
    const net = mlp({ inputDim: 3, outputDim: 2, hidden: [16, 5], activation, init: 'lecun-normal' }, createRng(3));
    const before = tf.memory().numTensors;
    for (const n of [1, 9]) {
      tf.tidy(() => {
        const z = createRng(4 + n).normal([n, 3]) as tf.Tensor2D;
        const w = createRng(7).normal([n, 2]);
        const loss = (f: () => tf.Tensor2D) => () => tf.sum(tf.mul(f(), w)) as tf.Scalar;
        const fused = tf.variableGrads(loss(() => net.apply(z)), net.variables as tf.Variable[]);
        const reference = tf.variableGrads(loss(() => composedMlp(z, net.variables as tf.Variable[], activation)), net.variables as tf.Variable[]);
        expect(Array.from(net.apply(z).dataSync())).toEqual(Array.from(composedMlp(z, net.variables as tf.Variable[], activation).dataSync()));
        for (const v of net.variables) {
          const got = fused.grads[v.name]!.dataSync();
          const want = reference.grads[v.name]!.dataSync();
          // selu's backward reads its derivative from the output (within float32 rounding); linear and relu are exact.
          if (activation === 'selu') expect(relativeError(got, want), v.name).toBeLessThan(1e-6);
          else expect(Array.from(got), v.name).toEqual(Array.from(want));
        }
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });

  it('runs the fused kernels where the backend has them (both pfm backends do), composed ops for other activations', async () => {
    const backend = tf.getBackend();
    expect(tf.getKernel('PfmFusedDense', backend), backend).toBeDefined();
    const count = async (activation: Activation) => {
      const net = mlp({ inputDim: 3, outputDim: 2, hidden: [8, 8], activation }, createRng(1));
      const z = tf.ones([4, 3]) as tf.Tensor2D;
      const info = await tf.profile(() => {
        tf.tidy(() => {
          tf.variableGrads(() => tf.sum(net.apply(z)) as tf.Scalar, net.variables as tf.Variable[]);
        });
      });
      z.dispose();
      net.dispose();
      return { fused: info.kernels.filter((k) => k.name === 'PfmFusedDense').length, grads: info.kernels.filter((k) => k.name === 'PfmFusedDenseGrad').length };
    };
    expect(await count('selu')).toEqual({ fused: 3, grads: 3 });
    // silu layers stay composed; the linear output layer is still fused.
    expect(await count('silu')).toEqual({ fused: 1, grads: 1 });
  });

  it('inside a nested gradient runs the composed ops, so a gradient of a gradient reaches the weights', () => {
    const net = mlp({ inputDim: 2, outputDim: 1, hidden: [6], activation: 'selu' }, createRng(2));
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.tensor2d([0.3, -0.7, 1.1, 0.2], [2, 2]);
      // ‖∂f/∂x‖², a gradient penalty: its parameter gradient needs the second derivative.
      const penalty = (f: (t: tf.Tensor2D) => tf.Tensor2D) => () => tf.sum(tf.square(tf.grad((t: tf.Tensor) => tf.sum(f(t as tf.Tensor2D)))(x))) as tf.Scalar;
      const got = tf.variableGrads(penalty((t) => net.apply(t)), net.variables as tf.Variable[]);
      const want = tf.variableGrads(penalty((t) => composedMlp(t, net.variables as tf.Variable[], 'selu')), net.variables as tf.Variable[]);
      // The output bias does not move ∂f/∂x: it gets no gradient from either.
      for (const v of net.variables) {
        expect(got.grads[v.name] === undefined, v.name).toBe(want.grads[v.name] === undefined);
        if (want.grads[v.name]) expect(Array.from(got.grads[v.name]!.dataSync()), v.name).toEqual(Array.from(want.grads[v.name]!.dataSync()));
      }
      expect(Math.abs(got.grads[net.variables[0]!.name]!.sum().dataSync()[0]!)).toBeGreaterThan(0);
    });
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});
