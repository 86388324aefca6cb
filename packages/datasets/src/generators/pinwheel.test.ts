import { describe, expect, it } from 'vitest';
import { pinwheel } from './pinwheel.js';
import { CHI2_999, chiSquareUniform, draw, rms, wrap } from '../test-support/statistics.js';

const ARM = (2 * Math.PI) / 5;

describe('pinwheel', () => {
  it('without tangential noise lies exactly on the 5 curves φ = −(2πk/5 + 0.25·e^{‖x‖/2}), arms equally likely', () => {
    // radialStd 0.2 keeps f₁ = 1 + 0.2ε > 0 (ε > −5) for every point at this seed.
    const n = 5000;
    const x = draw(pinwheel({ tangentialStd: 0, radialStd: 0.2 }), n, 31);
    const counts = [0, 0, 0, 0, 0];
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const px = x[2 * i]!;
      const py = x[2 * i + 1]!;
      const f1 = Math.hypot(px, py) / 2;
      const a = 0.25 * Math.exp(f1);
      const phi = Math.atan2(py, px);
      worst = Math.max(worst, Math.abs(wrap(phi + a, ARM)));
      const k = ((Math.round(-(phi + a) / ARM) % 5) + 5) % 5;
      counts[k]!++;
    }
    // φ + a must be a multiple of 2π/5, up to float32 rounding of the point.
    expect(worst).toBeLessThan(1e-4);
    expect(chiSquareUniform(counts)).toBeLessThan(CHI2_999[4]!);
  });

  it('default (FFJORD) law: E‖x‖² = 4(1 + 0.3² + 0.1²) = 4.4 and angular residual of rms ≈ 0.12', () => {
    const n = 20000;
    const x = draw(pinwheel(), n, 32);
    let s2 = 0;
    const residual = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const px = x[2 * i]!;
      const py = x[2 * i + 1]!;
      s2 += px * px + py * py;
      residual[i] = wrap(Math.atan2(py, px) + 0.25 * Math.exp(Math.hypot(px, py) / 2), ARM);
    }
    // sd(‖x‖²) ≈ 4·√(4·0.09 + 2·0.0081) ≈ 2.4 → se 0.017; tolerance 0.08.
    expect(Math.abs(s2 / n - 4.4)).toBeLessThan(0.08);
    // The residual is ≈ atan(f₂/f₁): rms ≈ 0.1·√E[1/f₁²] ≈ 0.1·√(1 + 3·0.09 + 15·0.0081) ≈ 0.118,
    // plus the tiny error of using ‖x‖/2 for f₁; rotating the wrong way would spread it
    // uniformly over an arm (rms 0.36). Tolerance ±0.02 (se ≈ 0.001).
    expect(rms(residual)).toBeGreaterThan(0.1);
    expect(rms(residual)).toBeLessThan(0.14);
  });

  it('rejects a non-integer number of arms, naming the field', () => {
    expect(() => pinwheel({ arms: 2.5 })).toThrow(/options\.arms/);
  });
});
