import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { blockW2, exactW2 } from './sample-metrics.js';

describe('blockW2 (the 1,000 against 1,000 protocol of the published W2)', () => {
  it('is |a − b| in every block between two point masses', () => {
    const x = tf.fill([250, 2], 1) as tf.Tensor2D;
    const y = tf.tidy(() => tf.concat([tf.fill([260, 1], 4), tf.fill([260, 1], 5)], 1)) as tf.Tensor2D;
    const b = blockW2(x, y, 50, 3)!;
    tf.dispose([x, y]);
    // 250 and 260 points: ⌊250/50⌋ = 5 disjoint blocks, each at distance ‖(3, 4)‖ = 5.
    expect(b.blocks).toBe(5);
    expect(b.size).toBe(50);
    expect(b.mean).toBeCloseTo(5, 5);
    expect(b.std).toBeCloseTo(0, 5);
  });

  it('is null when a side has fewer points than a block', () => {
    const x = tf.zeros([99, 2]) as tf.Tensor2D;
    const y = tf.zeros([500, 2]) as tf.Tensor2D;
    expect(blockW2(x, y, 100)).toBeNull();
    tf.dispose([x, y]);
  });

  it('is larger than the full-size W2 between two samples of one law (the small-sample bias)', () => {
    // Two independent N(0, I₂) samples of 2,000: W2 shrinks with n (about n^{-1/2} up to logs in 2-D),
    // so 200-point blocks sit well above the 2,000-point value; the spread over blocks is positive.
    const rng = createRng(11);
    const x = rng.normal([2000, 2]) as tf.Tensor2D;
    const y = rng.normal([2000, 2]) as tf.Tensor2D;
    const full = exactW2(x, y);
    const b = blockW2(x, y, 200, 0)!;
    tf.dispose([x, y]);
    expect(b.blocks).toBe(10);
    expect(b.mean).toBeGreaterThan(1.5 * full);
    expect(b.std).toBeGreaterThan(0);
  });
});
