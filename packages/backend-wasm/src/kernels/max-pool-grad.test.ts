import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { wasm } from '../backend/wasm.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { relativeError } from '../testing/relative-error.js';
import { wave } from '../testing/wave.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

interface HeapCount {
  numDataIds(): number;
}

type Pool = { x: number[]; filter: number | [number, number]; strides: number | [number, number]; pad: 'same' | 'valid' | number };

/** The gradient of ⟨maxPool(x), dy⟩ with respect to x, dy = wave(pooled shape, 1.3). */
function poolGradient(p: Pool): tf.Tensor {
  return tf.grad((x: tf.Tensor) => {
    const y = tf.maxPool(x as tf.Tensor4D, p.filter, p.strides, p.pad);
    return tf.sum(tf.mul(y, wave(y.shape, 1.3)));
  })(wave(p.x, 0.2));
}

const label = (p: Pool) => `x [${p.x}] filter ${JSON.stringify(p.filter)} strides ${JSON.stringify(p.strides)} pad ${JSON.stringify(p.pad)}`;

// Windows even and odd, overlapping (stride 1) or not, overhanging the bottom and right edges
// ('same' on odd sizes), a numeric padding, several images and channels.
const POOLS: Pool[] = [
  { x: [1, 4, 4, 6], filter: 3, strides: 1, pad: 'same' },
  { x: [2, 6, 7, 3], filter: 2, strides: 2, pad: 'same' },
  { x: [1, 5, 5, 1], filter: 2, strides: 1, pad: 'same' },
  { x: [2, 7, 7, 4], filter: 2, strides: 2, pad: 'valid' },
  { x: [3, 8, 6, 2], filter: [3, 2], strides: [2, 1], pad: 'same' },
  { x: [1, 9, 9, 5], filter: 3, strides: 2, pad: 1 },
  { x: [2, 14, 14, 8], filter: 2, strides: 2, pad: 'same' },
];

describe('MaxPoolGrad on wasm (stock: loses gradient with same padding)', () => {
  it('matches cpu on even and odd windows, strides 1 and 2, same, valid and numeric padding', async () => {
    const results = await onCpuAndWasm(() => POOLS.map(poolGradient));
    // Each dx value is a sum of at most a few dy values: exact up to float32 rounding.
    expectAgreement(results, POOLS.map(label), 1e-6);
  });

  it('fixes a defect of the stock kernel: a 2×2 window at stride 1 with same padding', async () => {
    const pool = POOLS[2] as Pool;
    const stock = await onCpuAndWasm(() => poolGradient(pool), { stockKernel: 'MaxPoolGrad' });
    expect(relativeError(stock.wasm[0]!.values, stock.cpu[0]!.values)).toBeGreaterThan(0.1);
    const fixed = await onCpuAndWasm(() => poolGradient(pool));
    expectAgreement(fixed, [label(pool)], 1e-6);
  });

  it('sends the gradient of tied values to the first maximum in window order, as cpu', async () => {
    const results = await onCpuAndWasm(() =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(x as tf.Tensor4D, 2, 1, 'same'), wave([1, 3, 3, 1], 0.5))))(tf.tensor4d([1, 1, 0, 1, 1, 0, 0, 0, 2], [1, 3, 3, 1])),
    );
    expectAgreement(results, ['ties'], 0);
  });

  it('replaces the stock kernel, keeps its setup and leaves no buffer behind on the heap', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const config = tf.getKernel('MaxPoolGrad', 'wasm');
      expect(kernelFixRegistry.isFixed(config?.kernelFunc)).toBe(true);
      expect(config?.setupFunc).toBe(kernelFixRegistry.stock('MaxPoolGrad')?.setupFunc);
      const backend = tf.backend() as unknown as HeapCount;
      const before = backend.numDataIds();
      tf.tidy(() => {
        for (const p of POOLS) poolGradient(p).dataSync();
      });
      expect(backend.numDataIds()).toBe(before);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('rejects a dy that is not the pooled shape of the input, naming both', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const x = tf.zeros([1, 4, 4, 2]);
      const dy = tf.zeros([1, 3, 2, 2]);
      expect(() => tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: dy }, { filterSize: 2, strides: 2, pad: 'valid' })).toThrow(
        'MaxPoolGrad on wasm: dy must have the pooled shape [1,2,2,2] of input [1,4,4,2], got [1,3,2,2]',
      );
      tf.dispose([x, dy]);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
