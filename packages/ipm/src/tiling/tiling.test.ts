import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { energyDistance } from '../energy/energy-distance.js';
import { characteristicFeatures } from '../features/characteristic-features.js';
import { featureDiscrepancy } from '../features/feature-discrepancy.js';
import { gaussianKernel } from '../kernels/gaussian-kernel.js';
import { mmd } from '../mmd/mmd.js';
import { gaussianScore } from '../stein/gaussian-score.js';
import { kernelSteinDiscrepancy } from '../stein/kernel-stein-discrepancy.js';
import { tiledPairSum } from './tiled-pair-sum.js';

describe('tiling', () => {
  it('keeps the metric path at O(tileSize²) memory: peak bytes far below one n×m matrix', async () => {
    const n = 800;
    const tileSize = 64;
    const x = createRng(1).normal([n, 2]) as tf.Tensor2D;
    const y = createRng(2).normal([n, 2]) as tf.Tensor2D;
    const family = characteristicFeatures({ dim: 2, rng: createRng(3), count: 1000 });
    // Untiled, one n×n float32 matrix is 2.6 MB and the unbiased features [f, f²] are [n, 4000]: 13 MB.
    // Tiled, a pairwise block is 16 KB (the Stein kernel keeps ≈ 25 block intermediates alive) and a
    // feature block [64, 4000] 1 MB.
    const runs: Array<[string, () => tf.Tensor, number]> = [
      ['mmd', () => mmd(x, y, { kernel: gaussianKernel({ bandwidth: 1 }), tileSize }), 800_000],
      ['energy', () => energyDistance(x, y, { tileSize }), 800_000],
      ['stein', () => kernelSteinDiscrepancy(x, { score: gaussianScore(), tileSize }), 800_000],
      ['features', () => featureDiscrepancy(x, y, { family, tileSize }), 5_000_000],
    ];
    for (const [name, run, bound] of runs) {
      const info = await tf.profile(() => run());
      tf.dispose(info.result as tf.Tensor);
      expect(info.peakBytes, name).toBeLessThan(bound);
    }
    tf.dispose([x, y]);
  });

  it('self sums count off-diagonal blocks twice and can drop the diagonal', () => {
    const x = tf.tensor2d([[0], [1], [2], [4], [7]]);
    // h(a, b) = a·b: Σ_{i,j} x_i x_j = (Σx)² = 196; without the diagonal: 196 − Σx² = 126.
    const h = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.matMul(a, b, false, true) as tf.Tensor2D;
    for (const tileSize of [1, 2, 3, 5, 8]) {
      const all = tiledPairSum(h, x, null, { tileSize });
      const off = tiledPairSum(h, x, null, { tileSize, excludeDiagonal: true });
      expect(all.dataSync()[0]).toBeCloseTo(196, 4);
      expect(off.dataSync()[0]).toBeCloseTo(126, 4);
      tf.dispose([all, off]);
    }
    x.dispose();
  });
});
