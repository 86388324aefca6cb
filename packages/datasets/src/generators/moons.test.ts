import { describe, expect, it } from 'vitest';
import { moons } from './moons.js';
import { column, draw, ksCritical, ksStatistic, mean, proportionTolerance, rms } from '../test-support/statistics.js';

// Distance from p to the half circle of radius r centred at c covering polar angles [a0, a0 + π].
function distanceToArc(px: number, py: number, cx: number, cy: number, r: number, upper: boolean): number {
  const dx = px - cx;
  const dy = py - cy;
  if (upper ? dy >= 0 : dy <= 0) return Math.abs(Math.hypot(dx, dy) - r);
  return Math.min(Math.hypot(dx - r, dy), Math.hypot(dx + r, dy));
}

// Documented geometry: upper moon = half circle (radius scale) above its centre `offset`; lower
// moon = half circle below scale·(1, ½) + offset.
function arcs(scale: number, offset: [number, number]) {
  return {
    upper: [offset[0], offset[1]] as const,
    lower: [scale + offset[0], scale / 2 + offset[1]] as const,
  };
}

describe('moons', () => {
  it('without noise puts every point on one of the two documented half circles (FFJORD centres)', () => {
    const n = 4000;
    const x = draw(moons({ noise: 0 }), n, 1);
    const { upper, lower } = arcs(2, [-1, -0.2]);
    let onUpper = 0;
    let worst = 0;
    const upperAngles: number[] = [];
    for (let i = 0; i < n; i++) {
      const px = x[2 * i]!;
      const py = x[2 * i + 1]!;
      const du = distanceToArc(px, py, upper[0], upper[1], 2, true);
      const dl = distanceToArc(px, py, lower[0], lower[1], 2, false);
      worst = Math.max(worst, Math.min(du, dl));
      if (du < dl) {
        onUpper++;
        upperAngles.push(Math.atan2(py - upper[1], px - upper[0]));
      }
    }
    // float32 points: 1e-5 is a few ulps at radius 2.
    expect(worst).toBeLessThan(1e-5);
    // Each moon with probability ½; the angle along a moon is uniform on (0, π).
    expect(Math.abs(onUpper / n - 0.5)).toBeLessThan(proportionTolerance(0.5, n));
    expect(ksStatistic(upperAngles, (a) => Math.min(1, Math.max(0, a / Math.PI)))).toBeLessThan(
      ksCritical(upperAngles.length),
    );
  });

  it('FFJORD variant: mean (0, 0.3) and distance to the moons of rms scale·noise = 0.2', () => {
    // E p = (½, ¼) for the unit moons (each moon's mean: (0, 2/π) and (1, ½ − 2/π)), so
    // E x = 2·(½, ¼) + (−1, −0.2) = (0, 0.3). The coordinates have std ≈ 1: se ≈ 0.007 at n = 20000.
    const n = 20000;
    const x = draw(moons(), n, 2);
    expect(Math.abs(mean(column(x, 2, 0)))).toBeLessThan(0.03);
    expect(Math.abs(mean(column(x, 2, 1)) - 0.3)).toBeLessThan(0.03);
    const { upper, lower } = arcs(2, [-1, -0.2]);
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const px = x[2 * i]!;
      const py = x[2 * i + 1]!;
      d[i] = Math.min(
        distanceToArc(px, py, upper[0], upper[1], 2, true),
        distanceToArc(px, py, lower[0], lower[1], 2, false),
      );
    }
    // Isotropic N(0, 0.2²) noise: the distance to a curve of radius 2 ≫ 0.2 is ≈ |normal
    // component|, rms 0.2 (slightly less where the two moons come close). ±10%.
    expect(rms(d)).toBeGreaterThan(0.18);
    expect(rms(d)).toBeLessThan(0.22);
  });

  it('torchcfm variant: moons centred at (−1, 0) and (1, 1), noise 0.1 after scaling, mean (0, 0.5)', () => {
    const n = 20000;
    const clean = draw(moons({ variant: 'torchcfm', noise: 0 }), 2000, 3);
    const { upper, lower } = arcs(2, [-1, 0]);
    expect(upper).toEqual([-1, 0]);
    expect(lower).toEqual([1, 1]);
    let worst = 0;
    for (let i = 0; i < 2000; i++) {
      const px = clean[2 * i]!;
      const py = clean[2 * i + 1]!;
      const d = Math.min(
        distanceToArc(px, py, upper[0], upper[1], 2, true),
        distanceToArc(px, py, lower[0], lower[1], 2, false),
      );
      worst = Math.max(worst, d);
    }
    expect(worst).toBeLessThan(1e-5);
    const x = draw(moons({ variant: 'torchcfm' }), n, 4);
    expect(Math.abs(mean(column(x, 2, 0)))).toBeLessThan(0.03);
    expect(Math.abs(mean(column(x, 2, 1)) - 0.5)).toBeLessThan(0.03);
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      d[i] = Math.min(
        distanceToArc(x[2 * i]!, x[2 * i + 1]!, upper[0], upper[1], 2, true),
        distanceToArc(x[2 * i]!, x[2 * i + 1]!, lower[0], lower[1], 2, false),
      );
    }
    expect(rms(d)).toBeGreaterThan(0.09);
    expect(rms(d)).toBeLessThan(0.11);
  });

  it('explicit options override the preset', () => {
    const x = draw(moons({ variant: 'torchcfm', noise: 0, scale: 1, offset: [10, 20] }), 500, 5);
    let worst = 0;
    for (let i = 0; i < 500; i++) {
      const px = x[2 * i]!;
      const py = x[2 * i + 1]!;
      worst = Math.max(worst, Math.min(distanceToArc(px, py, 10, 20, 1, true), distanceToArc(px, py, 11, 20.5, 1, false)));
    }
    // Points near (10, 20) in float32: ulp ≈ 2e-6.
    expect(worst).toBeLessThan(1e-5);
  });

  it('rejects bad options with a message naming the field', () => {
    expect(() => moons({ noise: -1 })).toThrow(/moons: bad options: options\.noise/);
    expect(() => moons({ variant: 'sklearn' as never })).toThrow(/options\.variant/);
    expect(() => moons({ noize: 0.1 } as never)).toThrow(/noize/);
  });

  it("stratified: sklearn's layout, ⌊n/2⌋ points on the upper moon, angles on an even grid, shuffled", () => {
    const n = 1001;
    const x = draw(moons({ variant: 'torchcfm', noise: 0, stratified: true }), n, 2);
    const { upper, lower } = arcs(2, [-1, 0]);
    const upperAngles: number[] = [];
    const lowerAngles: number[] = [];
    for (let i = 0; i < n; i++) {
      const px = x[2 * i]!;
      const py = x[2 * i + 1]!;
      const du = distanceToArc(px, py, upper[0], upper[1], 2, true);
      const dl = distanceToArc(px, py, lower[0], lower[1], 2, false);
      if (du < dl) upperAngles.push(Math.atan2(py - upper[1], px - upper[0]));
      else lowerAngles.push(Math.atan2(lower[1] - py, px - lower[0]));
    }
    expect([upperAngles.length, lowerAngles.length]).toEqual([500, 501]);
    // Each moon's angles are linspace(0, π, count) (the lower moon runs from the right, as in sklearn).
    const grid = (count: number) => Array.from({ length: count }, (_, k) => (Math.PI * k) / (count - 1));
    const sortedUpper = [...upperAngles].sort((a, b) => a - b);
    const sortedLower = [...lowerAngles].map((a) => Math.PI - a).sort((a, b) => a - b);
    grid(500).forEach((t, k) => expect(Math.abs(sortedUpper[k]! - t)).toBeLessThan(1e-5));
    grid(501).forEach((t, k) => expect(Math.abs(sortedLower[k]! - t)).toBeLessThan(1e-5));
    // Shuffled, not upper points first.
    expect(upperAngles).not.toEqual(sortedUpper);
  });
});
