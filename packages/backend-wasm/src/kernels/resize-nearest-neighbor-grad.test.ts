import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { wasm } from '../backend/wasm.js';
import { expectSameValues } from '../testing/expect-same-values.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

type Resize = { x: number[]; size: [number, number]; alignCorners: boolean; halfPixelCenters?: boolean };

/** The gradient of ⟨resizeNearestNeighbor(x), w⟩ with respect to x, w = wave(resized shape, 1.3). */
function resizeGradient(r: Resize): tf.Tensor {
  return tf.grad((x: tf.Tensor) => {
    const y = tf.image.resizeNearestNeighbor(x as tf.Tensor4D, r.size, r.alignCorners, r.halfPixelCenters ?? false);
    return tf.sum(tf.mul(y, wave(y.shape, 1.3)));
  })(wave(r.x, 0.2));
}

// Up by 2 (a U-Net's upsampling), by non-integer factors, down, to one row, with and without
// alignCorners and half-pixel centres, one image and several.
const RESIZES: Resize[] = [
  { x: [1, 4, 4, 3], size: [8, 8], alignCorners: false },
  { x: [1, 5, 3, 2], size: [7, 8], alignCorners: false },
  { x: [1, 5, 3, 2], size: [7, 8], alignCorners: true },
  { x: [1, 9, 7, 4], size: [4, 3], alignCorners: false },
  { x: [1, 9, 7, 4], size: [4, 3], alignCorners: true },
  { x: [1, 3, 6, 1], size: [1, 6], alignCorners: true },
  { x: [1, 5, 3, 2], size: [7, 8], alignCorners: false, halfPixelCenters: true },
  { x: [1, 9, 7, 4], size: [4, 3], alignCorners: false, halfPixelCenters: true },
  { x: [3, 7, 7, 5], size: [14, 14], alignCorners: false },
  { x: [2, 5, 6, 3], size: [3, 9], alignCorners: true },
  { x: [2, 4, 5, 3], size: [9, 7], alignCorners: false, halfPixelCenters: true },
];
const label = (r: Resize) => `x [${r.x}] → ${JSON.stringify(r.size)} alignCorners ${r.alignCorners} halfPixelCenters ${r.halfPixelCenters ?? false}`;

describe('ResizeNearestNeighborGrad on wasm (host kernel)', () => {
  it('is the adjoint of the wasm forward resize, bit for bit: up, down, non-integer factors, alignCorners, half-pixel centres, batches', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      for (const r of RESIZES) {
        const [b, h, w, c] = r.x as [number, number, number, number];
        const [outHeight, outWidth] = r.size;
        // The forward kernel's choice of source pixel, read from an image of pixel numbers (exact in float32).
        const numbers = tf.tensor4d(Float32Array.from({ length: b * h * w }, (_, i) => i), [b, h, w, 1]);
        const sources = tf.image.resizeNearestNeighbor(numbers, r.size, r.alignCorners, r.halfPixelCenters ?? false);
        const dy = wave([b, outHeight, outWidth, c], 1.3);
        const images = tf.zeros(r.x);
        const dx = tf.engine().runKernel('ResizeNearestNeighborGrad', { images, dy }, { alignCorners: r.alignCorners, halfPixelCenters: r.halfPixelCenters ?? false }) as tf.Tensor;
        const from = sources.dataSync();
        const dyValues = dy.dataSync();
        const expected = new Float32Array(b * h * w * c);
        from.forEach((p, k) => {
          for (let j = 0; j < c; j++) expected[p * c + j] = expected[p * c + j]! + dyValues[k * c + j]!;
        });
        expect(Array.from(dx.dataSync()), label(r)).toEqual(Array.from(expected));
        tf.dispose([numbers, sources, images, dy, dx]);
      }
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('matches cpu through tf.grad (the cpu kernel adds in float32 or float64, depending on which is registered)', async () => {
    const results = await onCpuAndWasm(() => RESIZES.filter((r) => !r.halfPixelCenters).map(resizeGradient));
    expectSameValues(results, RESIZES.filter((r) => !r.halfPixelCenters).map(label), { rtol: 1e-6 });
  });

  it('the stock kernel ignores halfPixelCenters: its gradient is not the adjoint of the forward resize', async () => {
    const halfPixel = RESIZES.filter((r) => r.halfPixelCenters);
    const ours = await onCpuAndWasm(() => halfPixel.map(resizeGradient));
    const stock = await onCpuAndWasm(() => halfPixel.map(resizeGradient), { stockKernel: 'ResizeNearestNeighborGrad' });
    expect(stock.wasm.some((w, i) => w.values.some((v, k) => v !== ours.wasm[i]!.values[k]))).toBe(true);
  });

  it('is the registered kernel after wasm().init() and leaves no buffer on the wasm heap', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      expect(kernelFixRegistry.isFixed(tf.getKernel('ResizeNearestNeighborGrad', 'wasm')?.kernelFunc)).toBe(true);
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const before = backend.numDataIds();
      const tensors = tf.memory().numTensors;
      tf.tidy(() => {
        for (const r of RESIZES) resizeGradient(r).dataSync();
      });
      expect(backend.numDataIds()).toBe(before);
      expect(tf.memory().numTensors).toBe(tensors);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
