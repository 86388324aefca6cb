import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';

describe('createRng', () => {
  it('gives the same numbers for the same seed and different ones for another seed', () => {
    const a = createRng(42).uniformArray(100);
    const b = createRng(42).uniformArray(100);
    const c = createRng(43).uniformArray(100);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('fold(i) does not depend on how much the parent stream drew', () => {
    const r1 = createRng(7);
    const r2 = createRng(7);
    r2.uniformArray(1000);
    expect(Array.from(r1.fold(3).normalArray(10))).toEqual(Array.from(r2.fold(3).normalArray(10)));
    expect(Array.from(r1.fold(3).normalArray(10))).not.toEqual(Array.from(r1.fold(4).normalArray(10)));
  });

  it('uniform draws have mean 1/2 and variance 1/12 (n = 200,000; 5 standard errors)', () => {
    const n = 200_000;
    const u = createRng(1).uniformArray(n);
    let m = 0;
    for (const v of u) m += v;
    m /= n;
    let s = 0;
    for (const v of u) s += (v - m) ** 2;
    s /= n - 1;
    expect(Math.abs(m - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
  });

  it('normal draws match the standard normal CDF (Kolmogorov–Smirnov at n = 20,000)', () => {
    const n = 20_000;
    const x = Array.from(createRng(2).normalArray(n)).sort((a, b) => a - b);
    const phi = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
    let d = 0;
    x.forEach((v, i) => {
      d = Math.max(d, Math.abs(phi(v) - (i + 1) / n), Math.abs(phi(v) - i / n));
    });
    // 1.63 / sqrt(n) is the 1% critical value of the KS statistic.
    expect(d).toBeLessThan(1.63 / Math.sqrt(n));
  });

  it('permutation is a permutation and split streams differ', () => {
    const p = Array.from(createRng(3).permutation(1000)).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const [a, b] = createRng(3).split(2);
    expect(a!.next()).not.toEqual(b!.next());
  });

  it('makes tensors of the requested shape and rejects bad input', () => {
    const t = createRng(4).normal([3, 2]);
    expect(t.shape).toEqual([3, 2]);
    t.dispose();
    expect(() => createRng(1.5)).toThrow(/integer/);
    expect(() => createRng(1).int(0)).toThrow(/positive integer/);
    expect(() => createRng(1).normal([2, -1])).toThrow(/invalid shape/);
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0);
  });
});

// Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}
