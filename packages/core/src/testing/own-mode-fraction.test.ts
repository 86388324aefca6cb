import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { EIGHT_GAUSSIANS_CENTRES, labelledEightGaussians } from './labelled-eight-gaussians.js';
import { ownModeFraction } from './own-mode-fraction.js';

describe('labelledEightGaussians and ownModeFraction', () => {
  it('the data score ≈ 1 against their own labels, ≈ 1/8 against rotated labels; errors name the mismatch', () => {
    const before = tf.memory().numTensors;
    const { x, labels } = labelledEightGaussians(2000, 1);
    expect(x.shape).toEqual([2000, 2]);
    const own = Array.from(labels.dataSync());
    // Neighbouring centres are 2R sin(π/8) ≈ 2.16 = 6.1 std apart, so a point crosses into one of
    // its two neighbours' cells with probability 2·P(Z > 3.06) ≈ 0.0022.
    expect(ownModeFraction(x, own)).toBeGreaterThan(0.993);
    expect(ownModeFraction(x, own.map((c) => (c + 1) % 8))).toBeLessThan(0.005);
    // Each mode holds about 1/8 of the points (binomial std ≈ 0.0074 at n = 2000).
    for (let k = 0; k < 8; k++) expect(Math.abs(own.filter((c) => c === k).length / 2000 - 1 / 8)).toBeLessThan(0.03);
    // Same seed, same data.
    const again = labelledEightGaussians(2000, 1);
    expect(Array.from(again.x.dataSync())).toEqual(Array.from(x.dataSync()));
    expect(EIGHT_GAUSSIANS_CENTRES[2]![1]).toBeCloseTo(4 / 1.414, 6);
    expect(() => ownModeFraction(x, own.slice(1))).toThrow('ownModeFraction: 2000 samples but 1999 labels');
    tf.dispose([x, labels, again.x, again.labels]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
