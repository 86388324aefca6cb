import { describe, expect, it } from 'vitest';
import { swissRoll } from './swissroll.js';
import { distanceToPolyline, draw, ksCritical, ksStatistic, polyline, rms } from '../test-support/statistics.js';

const T0 = 1.5 * Math.PI;
const T1 = 4.5 * Math.PI;

describe('swissroll', () => {
  it('without noise lies exactly on (t cos t, t sin t)/5 with t uniform on (1.5π, 4.5π)', () => {
    const n = 4000;
    const x = draw(swissRoll({ noise: 0 }), n, 51);
    const ts: number[] = [];
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const px = 5 * x[2 * i]!;
      const py = 5 * x[2 * i + 1]!;
      const t = Math.hypot(px, py);
      worst = Math.max(worst, Math.hypot(px - t * Math.cos(t), py - t * Math.sin(t)) / (t * t));
      ts.push(t);
    }
    // float32 rounding: relative 1e-7 on t, amplified by t in the angle.
    expect(worst).toBeLessThan(1e-5);
    expect(Math.min(...ts)).toBeGreaterThanOrEqual(T0 - 1e-4);
    expect(Math.max(...ts)).toBeLessThanOrEqual(T1 + 1e-4);
    expect(ksStatistic(ts, (t) => Math.min(1, Math.max(0, (t - T0) / (T1 - T0))))).toBeLessThan(ksCritical(n));
  });

  it('default (FFJORD) law: distance to the curve has rms noise·scale = 0.2', () => {
    const n = 1500;
    const x = draw(swissRoll(), n, 52);
    const curve = polyline((t) => [(t * Math.cos(t)) / 5, (t * Math.sin(t)) / 5], T0, T1, 3000);
    const d = Array.from({ length: n }, (_, i) => distanceToPolyline(x[2 * i]!, x[2 * i + 1]!, curve));
    // Turns are 2π/5 ≈ 1.26 apart (6σ), the curvature radius ≥ 0.94 ≫ σ: rms ≈ σ, ±12%
    // (se of the rms at n = 1500 is ≈ 1.8%; the ends of the roll add a little).
    expect(rms(d)).toBeGreaterThan(0.176);
    expect(rms(d)).toBeLessThan(0.224);
  });
});
