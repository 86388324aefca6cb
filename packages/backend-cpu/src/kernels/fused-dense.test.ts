import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { cpu } from '../backend/cpu.js';
import { streamValues } from '../testing/stream-values.js';


const ACTIVATIONS = ['linear', 'relu', 'selu'] as const;
// [n, k, m]: batch 1, odd sizes, a single output, and the 3×64 network's hidden layer.
const SHAPES: [number, number, number][] = [[1, 3, 5], [7, 3, 64], [13, 17, 2], [4, 1, 1], [64, 64, 64]];

function composed(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: string): tf.Tensor2D {
  const z = tf.add(tf.matMul(x, w), b);
  return (activation === 'relu' ? tf.relu(z) : activation === 'selu' ? tf.selu(z) : z) as tf.Tensor2D;
}

function maxRelativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  return worst / Math.max(scale, 1e-30);
}

describe('cpu PfmFusedDense and PfmFusedDenseGrad', () => {
  it('give the composed layer and its autodiff gradients: forward bit for bit, linear and relu gradients bit for bit, selu within float32 rounding', async () => {
    const projectBackend = tf.getBackend();
    await cpu().init();
    try {
      const before = tf.memory().numTensors;
      for (const activation of ACTIVATIONS) {
        SHAPES.forEach(([n, k, m], s) =>
          tf.tidy(() => {
            const label = `${activation} [${n}, ${k}] · [${k}, ${m}]`;
            const x = tf.tensor2d(streamValues(n * k, 10 + s, 2), [n, k]);
            const w = tf.tensor2d(streamValues(k * m, 20 + s), [k, m]);
            const b = tf.tensor1d(streamValues(m, 30 + s, 0.5));
            const dy = tf.tensor2d(streamValues(n * m, 40 + s), [n, m]);
            const y = tf.engine().runKernel('PfmFusedDense', { x, weight: w, bias: b }, { activation }) as tf.Tensor2D;
            expect(y.shape, label).toEqual([n, m]);
            expect(Array.from(y.dataSync()), label).toEqual(Array.from(composed(x, w, b, activation).dataSync()));
            const grads = tf.engine().runKernel('PfmFusedDenseGrad', { dy, x, weight: w, y }, { activation }) as tf.Tensor[];
            const reference = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(composed(a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D, activation), dy)))([x, w, b]);
            ['dx', 'dW', 'db'].forEach((name, i) => {
              expect(grads[i]!.shape, `${label} ${name}`).toEqual(reference[i]!.shape);
              const got = grads[i]!.dataSync();
              const want = reference[i]!.dataSync();
              if (activation === 'selu') expect(maxRelativeError(got, want), `${label} ${name}`).toBeLessThan(1e-6);
              else expect(Array.from(got), `${label} ${name}`).toEqual(Array.from(want));
            });
          }),
        );
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('rejects an unknown activation and mismatched shapes, naming the input', async () => {
    const projectBackend = tf.getBackend();
    await cpu().init();
    try {
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const x = tf.zeros([2, 3]);
        const w = tf.zeros([3, 4]);
        const run = (inputs: tf.NamedTensorMap, activation = 'selu') => () => tf.engine().runKernel('PfmFusedDense', inputs, { activation });
        expect(run({ x, weight: w, bias: tf.zeros([4]) }, 'gelu')).toThrow(/attrs\.activation is 'gelu'; expected one of linear, relu, selu/);
        expect(run({ x, weight: tf.zeros([2, 4]), bias: tf.zeros([4]) })).toThrow(/inputs\.weight has 2 rows; expected x's 3 columns/);
        expect(run({ x, weight: w, bias: tf.zeros([3]) })).toThrow(/inputs\.bias is float32 \[3\]; expected float32 \[4\]/);
        const grad = () => tf.engine().runKernel('PfmFusedDenseGrad', { dy: tf.zeros([2, 5]), x, weight: w, y: tf.zeros([2, 4]) }, { activation: 'relu' });
        expect(grad).toThrow(/inputs\.dy is float32 \[2, 5\]; expected float32 \[2, 4\]/);
      });
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
