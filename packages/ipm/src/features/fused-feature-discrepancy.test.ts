import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, type TestFunctionFamily } from '@pfm/core';
import { gaussianRows, relativeError, toTensor, type Rows } from '../test-support/host.js';
import { characteristicFeatures } from './characteristic-features.js';
import { featureDiscrepancy } from './feature-discrepancy.js';
import { fourierFeatures } from './fourier-features.js';
import { momentFeatures } from './moment-features.js';

function valueAndGrads(family: TestFunctionFamily, fused: boolean, estimator: 'unbiased' | 'biased', tileSize: number, xr: Rows, yr: Rows) {
  const x = toTensor(xr);
  const y = toTensor(yr);
  const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) =>
    featureDiscrepancy(a as tf.Tensor2D, b as tf.Tensor2D, { family, estimator, tileSize, fused }),
  )([x, y]);
  const out = { value: value.dataSync()[0]!, gx: grads[0]!.arraySync() as Rows, gy: grads[1]!.arraySync() as Rows };
  tf.dispose([x, y, value, ...grads]);
  return out;
}

describe('fused feature discrepancy', () => {
  it('agrees with the composed ops in value and both gradients (trigonometric and moment families, tiled)', () => {
    const families: Array<[string, TestFunctionFamily, number]> = [
      ['characteristic', characteristicFeatures({ dim: 2, rng: createRng(1), count: 40 }), 2],
      ['fourier', fourierFeatures({ dim: 2, maxFrequency: 3, period: 6 }), 2],
      ['moment', momentFeatures({ dim: 3, rng: createRng(2), count: 16 }), 3],
    ];
    families.forEach(([name, family, d], index) => {
      const xr = gaussianRows(10 + index, 23, new Array<number>(d).fill(0), 1);
      const yr = gaussianRows(20 + index, 17, new Array<number>(d).fill(0.3), 0.8);
      for (const estimator of ['unbiased', 'biased'] as const) {
        const tileSize = estimator === 'unbiased' ? 6 : 1024;
        const fused = valueAndGrads(family, true, estimator, tileSize, xr, yr);
        const composed = valueAndGrads(family, false, estimator, tileSize, xr, yr);
        // float32 on both paths, sums of O(1) terms: 1e-5 absolute on the value, 1e-3 relative on gradients.
        expect(Math.abs(fused.value - composed.value), `${name} ${estimator}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(composed.value)));
        expect(relativeError(fused.gx, composed.gx), `${name} ${estimator} ∂x`).toBeLessThan(1e-3);
        expect(relativeError(fused.gy, composed.gy), `${name} ${estimator} ∂y`).toBeLessThan(1e-3);
        expect(fused.gx.flat().some((v) => v !== 0)).toBe(true);
      }
    });
  });

  it('keeps no [n, size] feature matrix for the backward pass: peak bytes under a tape stay O(tileSize·size)', async () => {
    const n = 600;
    const x = toTensor(gaussianRows(30, n, [0, 0], 1));
    const y = toTensor(gaussianRows(31, n, [1, 0], 1));
    const family = characteristicFeatures({ dim: 2, rng: createRng(3), count: 250 });
    // [f, f²] for n = 600 and 500 features is 2.4 MB per sample; a tile of 50 rows is 0.2 MB.
    const peak = async (fused: boolean) => {
      const info = await tf.profile(() => {
        const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) =>
          featureDiscrepancy(a as tf.Tensor2D, b as tf.Tensor2D, { family, tileSize: 50, fused }),
        )([x, y]);
        tf.dispose(grads);
        return value;
      });
      tf.dispose(info.result as tf.Tensor);
      return info.peakBytes;
    };
    expect(await peak(true)).toBeLessThan(1_000_000);
    expect(await peak(false)).toBeGreaterThan(2_400_000);
    tf.dispose([x, y]);
  });

  it('rejects a fused option that is not a boolean', () => {
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    const family = fourierFeatures({ dim: 2, maxFrequency: 1 });
    expect(() => featureDiscrepancy(x, x, { family, fused: 'no' as never })).toThrow(/featureDiscrepancy: fused must be a boolean, got "no"/);
    x.dispose();
  });
});
