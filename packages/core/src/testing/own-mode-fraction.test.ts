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
    // Modes 8 std apart: a point leaves its cell with probability below 1e-4.
    expect(ownModeFraction(x, own)).toBeGreaterThan(0.999);
    expect(ownModeFraction(x, own.map((c) => (c + 1) % 8))).toBeLessThan(0.002);
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
