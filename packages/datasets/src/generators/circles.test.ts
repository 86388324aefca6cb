import { describe, expect, it } from 'vitest';
import { circles } from './circles.js';
import { blurredCircleDensity } from '../test-support/blurred-circle.js';
import {
  draw,
  gridIntegral,
  ksCritical,
  ksStatistic,
  logProbAt,
  proportionTolerance,
  rms,
} from '../test-support/statistics.js';

describe('circles', () => {
  it('without noise puts every point on the circles of radii 3 and 1.5 (FFJORD), half on each, angles uniform', () => {
    const n = 4000;
    const m = circles({ noise: 0 });
    expect(m.logProb).toBeUndefined();
    const x = draw(m, n, 71);
    let outer = 0;
    let worst = 0;
    const angles: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = Math.hypot(x[2 * i]!, x[2 * i + 1]!);
      worst = Math.max(worst, Math.min(Math.abs(r - 3), Math.abs(r - 1.5)));
      if (r > 2.25) outer++;
      angles.push(Math.atan2(x[2 * i + 1]!, x[2 * i]!));
    }
    expect(worst).toBeLessThan(1e-5);
    expect(Math.abs(outer / n - 0.5)).toBeLessThan(proportionTolerance(0.5, n));
    expect(ksStatistic(angles, (a) => (a + Math.PI) / (2 * Math.PI))).toBeLessThan(ksCritical(n));
  });

  it('radial residual has rms scale·noise (FFJORD 0.24, torchcfm 0.175)', () => {
    for (const [options, radii, sigma] of [
      [{}, [3, 1.5], 0.24],
      [{ variant: 'torchcfm' as const }, [3.5, 1.75], 0.175],
    ] as const) {
      const n = 10000;
      const x = draw(circles(options), n, 72);
      const residual = Array.from({ length: n }, (_, i) => {
        const r = Math.hypot(x[2 * i]!, x[2 * i + 1]!);
        return Math.min(Math.abs(r - radii[0]), Math.abs(r - radii[1]));
      });
      // ρ − R ≈ ε_radial + ε_tangential²/(2R): rms ≈ σ(1 + O(σ²/R²)); ±6% (se ≈ 1%).
      expect(rms(residual) / sigma).toBeGreaterThan(0.94);
      expect(rms(residual) / sigma).toBeLessThan(1.06);
    }
  });

  it('logProb equals the blurred-circle density computed by quadrature and integrates to 1', () => {
    for (const options of [{}, { variant: 'torchcfm' as const }, { factor: 0.3, noise: 0.2, scale: 2 }]) {
      const m = circles(options);
      const scale = 'scale' in options ? 2 : 'variant' in options ? 3.5 : 3;
      const factor = 'factor' in options ? 0.3 : 0.5;
      const sigma = scale * ('noise' in options ? 0.2 : 'variant' in options ? 0.05 : 0.08);
      const rows = [
        [0, 0],
        [scale, 0],
        [0.1, -factor * scale],
        [0.7 * scale, 0.7 * scale],
        [scale + 3 * sigma, 0.2],
      ];
      const got = logProbAt(m, rows);
      rows.forEach(([a, b], i) => {
        const p = 0.5 * blurredCircleDensity(a!, b!, scale, sigma) + 0.5 * blurredCircleDensity(a!, b!, factor * scale, sigma);
        // float32 Bessel approximation (relative error < 5e-7) and float32 arithmetic: 1e-4 on log p.
        expect(Math.abs(got[i]! - Math.log(p))).toBeLessThan(1e-4 * Math.max(1, Math.abs(Math.log(p))));
      });
      const box = scale + 8 * sigma;
      const cells = Math.ceil((2 * box) / (sigma / 2)); // h ≤ σ/2: quadrature error ≪ 1e-3
      expect(gridIntegral(m, -box, box, cells)).toBeCloseTo(1, 3);
    }
  });

  it('rejects an inner circle not smaller than the outer one, naming the field', () => {
    expect(() => circles({ factor: 1.5 })).toThrow(/options\.factor/);
  });
});
