import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { logBesselI0e } from './log-bessel-i0e.js';

// Independent reference: the power series I0(z) = Σ_k (z²/4)^k / (k!)², summed in float64
// (converges for every z; terms stay below 1e308 up to z ≈ 700).
function logI0Series(z: number): number {
  const q = (z * z) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 2000; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.log(sum);
}

describe('logBesselI0e', () => {
  it('matches the power series of I0 on both sides of the 3.75 switch and for large z', () => {
    const zs = [0, 0.1, 1, 2.5, 3.7, 3.75, 3.8, 5, 10, 30, 100, 300];
    const z = tf.tensor1d(zs);
    const got = logBesselI0e(z);
    const values = Array.from(got.dataSync());
    z.dispose();
    got.dispose();
    zs.forEach((v, i) => {
      const expected = logI0Series(v) - v;
      // A&S relative error < 2e-7 on I0e; float32 evaluation adds ~1e-7·(1 + |log I0e|).
      expect(Math.abs(values[i]! - expected)).toBeLessThan(1e-6 * (1 + Math.abs(expected)));
    });
  });

  it('is even in z and has no NaN or Infinity', () => {
    const z = tf.tensor1d([-5, 5, -0.5, 0.5, 1e6]);
    const got = logBesselI0e(z);
    const v = Array.from(got.dataSync());
    z.dispose();
    got.dispose();
    expect(v[0]).toBe(v[1]);
    expect(v[2]).toBe(v[3]);
    // Large z: log I0e(z) ≈ −½ log(2πz).
    expect(v[4]).toBeCloseTo(-0.5 * Math.log(2 * Math.PI * 1e6), 4);
    expect(v.every(Number.isFinite)).toBe(true);
  });
});
