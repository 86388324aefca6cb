import { describe, expect, it } from 'vitest';
import { twoSpirals } from './2spirals.js';
import { column, draw, ksCritical, ksStatistic, mean, proportionTolerance } from '../test-support/statistics.js';

describe('2spirals', () => {
  it('without jitter and noise lies exactly on ±(−t cos t, t sin t)/3 with (t/3π)² uniform', () => {
    const n = 4000;
    const x = draw(twoSpirals({ jitter: 0, noise: 0 }), n, 41);
    const u: number[] = [];
    let positive = 0;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const px = 3 * x[2 * i]!;
      const py = 3 * x[2 * i + 1]!;
      const t = Math.hypot(px, py);
      const errPlus = Math.hypot(px + t * Math.cos(t), py - t * Math.sin(t));
      const errMinus = Math.hypot(px - t * Math.cos(t), py + t * Math.sin(t));
      // float32 rounding of a point at radius t/3 moves t by ~1e-7·t, the curve point by ~t·that.
      worst = Math.max(worst, Math.min(errPlus, errMinus) / (1 + t * t));
      if (errPlus < errMinus) positive++;
      u.push((t / (3 * Math.PI)) ** 2);
    }
    expect(worst).toBeLessThan(1e-5);
    expect(Math.abs(positive / n - 0.5)).toBeLessThan(proportionTolerance(0.5, n));
    expect(ksStatistic(u, (v) => Math.min(1, Math.max(0, v)))).toBeLessThan(ksCritical(n));
  });

  it('default (FFJORD) law: E x = 0 and E‖x‖² = (T²/2 + j(4/(3π) + 2 − 8/(9π²)) + 2j²/3)/9 + 2·0.1²', () => {
    // With T = 3π, j = 0.5 and t = √u·T: E t² = T²/2, E[t cos t] = −4/(3π), E[t sin t] = 2 − 8/(9π²).
    const T = 3 * Math.PI;
    const j = 0.5;
    const expected = (T * T / 2 + j * (4 / (3 * Math.PI) + 2 - 8 / (9 * Math.PI ** 2)) + (2 * j * j) / 3) / 9 + 0.02;
    const n = 20000;
    const x = draw(twoSpirals(), n, 42);
    let s2 = 0;
    for (let i = 0; i < n; i++) s2 += x[2 * i]! ** 2 + x[2 * i + 1]! ** 2;
    // sd(‖x‖²) ≈ 2.5 → se ≈ 0.018; tolerance 0.08. coordinates: sd ≈ 1.6 → se 0.011.
    expect(Math.abs(s2 / n - expected)).toBeLessThan(0.08);
    expect(Math.abs(mean(column(x, 2, 0)))).toBeLessThan(0.05);
    expect(Math.abs(mean(column(x, 2, 1)))).toBeLessThan(0.05);
  });

  it('degrees sets the length of the arms (torchdyn uses 780)', () => {
    const x = draw(twoSpirals({ degrees: 780, jitter: 0, noise: 0, scale: 1 }), 3000, 43);
    let maxR = 0;
    for (let i = 0; i < 3000; i++) maxR = Math.max(maxR, Math.hypot(x[2 * i]!, x[2 * i + 1]!));
    const tMax = (780 * Math.PI) / 180;
    expect(maxR).toBeLessThanOrEqual(tMax + 1e-4);
    expect(maxR).toBeGreaterThan(0.99 * tMax);
  });
});
