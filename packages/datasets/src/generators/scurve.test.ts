import { describe, expect, it } from 'vitest';
import { sCurve } from './scurve.js';
import { distanceToPolyline, draw, ksCritical, ksStatistic, polyline, rms } from '../test-support/statistics.js';

const curve = (t: number): [number, number] => [Math.sin(t), Math.sign(t) * (Math.cos(t) - 1)];

describe('scurve', () => {
  it('without noise lies exactly on 1.5·(sin t, sign(t)(cos t − 1)) with t uniform on (−1.5π, 1.5π)', () => {
    const n = 4000;
    const x = draw(sCurve({ noise: 0 }), n, 61);
    const ts: number[] = [];
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const a = x[2 * i]! / 1.5;
      const b = x[2 * i + 1]! / 1.5;
      // Invert: for t ≥ 0, (sin t, cos t) = (a, 1 + b); for t < 0, (sin t, cos t) = (a, 1 − b).
      let t: number;
      if (b <= 0) {
        t = Math.atan2(a, 1 + b);
        if (t < 0) t += 2 * Math.PI;
      } else {
        t = Math.atan2(a, 1 - b);
        if (t > 0) t -= 2 * Math.PI;
      }
      const [ca, cb] = curve(t);
      worst = Math.max(worst, Math.hypot(a - ca, b - cb));
      ts.push(t);
    }
    expect(worst).toBeLessThan(1e-5);
    const cdf = (t: number) => Math.min(1, Math.max(0, t / (3 * Math.PI) + 0.5));
    expect(ksStatistic(ts, cdf)).toBeLessThan(ksCritical(n));
  });

  it('default (torchcfm) law: distance to the curve has rms noise·scale = 0.075', () => {
    const n = 2000;
    const x = draw(sCurve(), n, 62);
    const line = polyline((t) => curve(t).map((v) => 1.5 * v) as [number, number], -1.5 * Math.PI, 1.5 * Math.PI, 3000);
    const d = Array.from({ length: n }, (_, i) => distanceToPolyline(x[2 * i]!, x[2 * i + 1]!, line));
    // Curvature radius 1.5 ≫ σ = 0.075 and the branches are ≥ 1.5 apart: rms ≈ σ, ±10%
    // (se of the rms ≈ 1.6% at n = 2000).
    expect(rms(d)).toBeGreaterThan(0.0675);
    expect(rms(d)).toBeLessThan(0.0825);
  });
});
