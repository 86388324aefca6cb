import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { energyDistance } from '../energy/energy-distance.js';
import { backendDistancePowerSumAvailable, PAIRWISE_DISTANCE_POWER_SUM } from './backend-distance-power-sum.js';

// A stand-in for a backend's fused kernel (@pfm/backend-webgpu registers the real one, tested in
// headless Chromium), registered on the active test backend: row sums Σ_j ‖x_i − y_j‖^β on the
// host, counting its calls, so that the choice made by energyDistance can be checked.
let calls = 0;
function registerStandIn(): void {
  tf.registerKernel({
    kernelName: PAIRWISE_DISTANCE_POWER_SUM,
    backendName: tf.getBackend(),
    kernelFunc: ({ inputs, backend: kernelBackend, attrs }) => {
      calls++;
      const backend = kernelBackend as tf.KernelBackend;
      const { x, y } = inputs as { x: tf.TensorInfo; y: tf.TensorInfo };
      const beta = (attrs as { exponent: number }).exponent;
      const xs = backend.readSync(x.dataId) as Float32Array;
      const ys = backend.readSync(y.dataId) as Float32Array;
      const [n, d] = x.shape as [number, number];
      const m = y.shape[0]!;
      const rows = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += (xs[i * d + c]! - ys[j * d + c]!) ** 2;
          rows[i] = rows[i]! + s ** (beta / 2);
        }
      }
      return { dataId: backend.write(rows, [n], 'float32'), shape: [n], dtype: 'float32' };
    },
  });
}

afterEach(() => {
  if (tf.getKernel(PAIRWISE_DISTANCE_POWER_SUM, tf.getBackend())) tf.unregisterKernel(PAIRWISE_DISTANCE_POWER_SUM, tf.getBackend());
  calls = 0;
});

describe('energyDistance on a backend with a fused pairwise kernel', () => {
  const x = () => tf.tensor2d([0, 0, 1, 0.5, -1, 2, 0.3, -0.7], [4, 2]);
  const y = () => tf.tensor2d([2, 1, 0.5, 0.5, -0.2, 1.1], [3, 2]);

  it('is not chosen where the active backend has no such kernel (cpu, wasm)', () => {
    expect(backendDistancePowerSumAvailable(2)).toBe(false);
  });

  it.each([
    ['unbiased', 1],
    ['biased', 1.5],
  ] as const)('runs it three times (xy, xx, yy) and gives the composed value (%s, β = %f)', (estimator, exponent) => {
    const a = x();
    const b = y();
    const composed = energyDistance(a, b, { estimator, exponent, fused: false });
    registerStandIn();
    expect(backendDistancePowerSumAvailable(2)).toBe(true);
    expect(backendDistancePowerSumAvailable(257)).toBe(false);
    const viaKernel = energyDistance(a, b, { estimator, exponent });
    expect(calls).toBe(3);
    // Both sum the same float32 terms in other orders: relative 1e-6.
    expect(viaKernel.dataSync()[0]).toBeCloseTo(composed.dataSync()[0]!, 5);
    // An explicit `fused` keeps its meaning: false the composed ops, true the host loop.
    tf.dispose(energyDistance(a, b, { estimator, exponent, fused: false }));
    tf.dispose(energyDistance(a, b, { estimator, exponent, fused: true }));
    expect(calls).toBe(3);
    tf.dispose([a, b, composed, viaKernel]);
  });
});
