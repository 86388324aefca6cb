import { describe, expect, it } from 'vitest';
import { rings } from './rings.js';
import { blurredCircleDensity } from '../test-support/blurred-circle.js';
import { CHI2_999, chiSquareUniform, draw, gridIntegral, logProbAt, rms } from '../test-support/statistics.js';

const RADII = [0.75, 1.5, 2.25, 3];

describe('rings', () => {
  it('without noise puts every point on one of the FFJORD radii 0.75, 1.5, 2.25, 3, equally often', () => {
    const n = 8000;
    const m = rings({ noise: 0 });
    expect(m.logProb).toBeUndefined();
    const x = draw(m, n, 81);
    const counts = [0, 0, 0, 0];
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const r = Math.hypot(x[2 * i]!, x[2 * i + 1]!);
      const k = Math.round(r / 0.75) - 1;
      worst = Math.max(worst, Math.abs(r - RADII[k]!));
      counts[k]!++;
    }
    expect(worst).toBeLessThan(1e-5);
    expect(chiSquareUniform(counts)).toBeLessThan(CHI2_999[3]!);
  });

  it('default noise: radial residual rms 0.08 (added after scaling)', () => {
    const n = 10000;
    const x = draw(rings(), n, 82);
    const residual = Array.from({ length: n }, (_, i) => {
      const r = Math.hypot(x[2 * i]!, x[2 * i + 1]!);
      return Math.min(...RADII.map((R) => Math.abs(r - R)));
    });
    expect(rms(residual) / 0.08).toBeGreaterThan(0.94);
    expect(rms(residual) / 0.08).toBeLessThan(1.06);
  });

  it('logProb equals the mixture of blurred circles computed by quadrature and integrates to 1', () => {
    const m = rings();
    const rows = [
      [0, 0],
      [0.75, 0],
      [0, -1.6],
      [2, 2],
      [3.3, 0.1],
    ];
    const got = logProbAt(m, rows);
    rows.forEach(([a, b], i) => {
      const p = RADII.reduce((s, R) => s + 0.25 * blurredCircleDensity(a!, b!, R, 0.08), 0);
      expect(Math.abs(got[i]! - Math.log(p))).toBeLessThan(1e-4 * Math.max(1, Math.abs(Math.log(p))));
    });
    // Midpoint rule with h = σ/2 on a smooth density: error ~ e^{−2π²σ²/h²}, far below 1e-3.
    expect(gridIntegral(m, -3.7, 3.7, 185)).toBeCloseTo(1, 3);
  });

  it('count sets the number of rings', () => {
    const x = draw(rings({ count: 2, noise: 0, scale: 1 }), 500, 83);
    let worst = 0;
    for (let i = 0; i < 500; i++) {
      const r = Math.hypot(x[2 * i]!, x[2 * i + 1]!);
      worst = Math.max(worst, Math.min(Math.abs(r - 0.5), Math.abs(r - 1)));
    }
    expect(worst).toBeLessThan(1e-6);
  });
});
