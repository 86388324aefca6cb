import { describe, expect, it } from 'vitest';
import { eightGaussians } from './8gaussians.js';
import { CHI2_999, chiSquareUniform, draw, gridIntegral, logProbAt } from '../test-support/statistics.js';

// FFJORD's centres, in its own order: 4·{(1,0), (−1,0), (0,1), (0,−1), (±1/√2, ±1/√2)} / 1.414.
const S = Math.SQRT1_2;
const FFJORD_CENTRES: [number, number][] = [
  [1, 0], [-1, 0], [0, 1], [0, -1], [S, S], [S, -S], [-S, S], [-S, -S],
].map(([a, b]) => [(4 * a!) / 1.414, (4 * b!) / 1.414]);

function nearest(x: number, y: number, centres: [number, number][]): number {
  let best = 0;
  let bestD = Infinity;
  centres.forEach(([cx, cy], k) => {
    const d = (x - cx) ** 2 + (y - cy) ** 2;
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  });
  return best;
}

describe('8gaussians', () => {
  it('FFJORD variant: clusters at the 8 documented centres, within-cluster std 0.5/1.414, equal weights', () => {
    const n = 24000;
    const std = 0.5 / 1.414;
    const x = draw(eightGaussians(), n, 11);
    const sums = FFJORD_CENTRES.map(() => ({ count: 0, sx: 0, sy: 0, sxx: 0, syy: 0 }));
    for (let i = 0; i < n; i++) {
      const px = x[2 * i]!;
      const py = x[2 * i + 1]!;
      const s = sums[nearest(px, py, FFJORD_CENTRES)]!;
      s.count++;
      s.sx += px;
      s.sy += py;
      s.sxx += px * px;
      s.syy += py * py;
    }
    // Neighbouring centres are 2.16 apart (6σ): nearest-centre assignment errs for ~0.1% of the
    // points, biasing a cluster's std by < 1%. Means: se = σ/√3000 ≈ 0.0065, tolerance 0.03;
    // std: se ≈ σ/√6000 ≈ 0.005, tolerance 5% (0.018).
    sums.forEach((s, k) => {
      const mx = s.sx / s.count;
      const my = s.sy / s.count;
      expect(Math.abs(mx - FFJORD_CENTRES[k]![0])).toBeLessThan(0.03);
      expect(Math.abs(my - FFJORD_CENTRES[k]![1])).toBeLessThan(0.03);
      const sdx = Math.sqrt(s.sxx / s.count - mx * mx);
      const sdy = Math.sqrt(s.syy / s.count - my * my);
      expect(Math.abs(sdx / std - 1)).toBeLessThan(0.05);
      expect(Math.abs(sdy / std - 1)).toBeLessThan(0.05);
    });
    expect(chiSquareUniform(sums.map((s) => s.count))).toBeLessThan(CHI2_999[7]!);
  });

  it('torchcfm variant: radius 5, std 1, so E‖x‖² = 25 + 2 = 27 and E x = 0', () => {
    const n = 20000;
    const x = draw(eightGaussians({ variant: 'torchcfm' }), n, 12);
    let sx = 0;
    let sy = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      sx += x[2 * i]!;
      sy += x[2 * i + 1]!;
      s2 += x[2 * i]! ** 2 + x[2 * i + 1]! ** 2;
    }
    // sd(‖x‖²) = √(4·25·1 + 2·2) ≈ 10.2 → se 0.072; sd(x₁) ≈ 3.7 → se 0.026.
    expect(Math.abs(s2 / n - 27)).toBeLessThan(0.3);
    expect(Math.abs(sx / n)).toBeLessThan(0.11);
    expect(Math.abs(sy / n)).toBeLessThan(0.11);
  });

  it('logProb is the equal-weight Gaussian mixture (checked in float64) and integrates to 1', () => {
    for (const [options, box] of [
      [{}, 6],
      [{ variant: 'torchcfm' as const }, 10],
      [{ radius: 12, std: 1.5 }, 19],
    ] as const) {
      const m = eightGaussians(options);
      const radius = 'radius' in options ? options.radius : 'variant' in options ? 5 : 4 / 1.414;
      const std = 'std' in options ? options.std : 'variant' in options ? 1 : 0.5 / 1.414;
      const rows = [
        [0, 0],
        [radius, 0],
        [radius * S, -radius * S],
        [0.3 * radius, -0.7 * radius],
      ];
      const got = logProbAt(m, rows);
      rows.forEach(([a, b], i) => {
        let p = 0;
        for (let k = 0; k < 8; k++) {
          const cx = radius * Math.cos((k * Math.PI) / 4);
          const cy = radius * Math.sin((k * Math.PI) / 4);
          p += Math.exp(-((a! - cx) ** 2 + (b! - cy) ** 2) / (2 * std * std)) / (8 * 2 * Math.PI * std * std);
        }
        // float32 evaluation: 1e-4 absolute on log p (relative 1e-4 on p).
        expect(Math.abs(got[i]! - Math.log(p))).toBeLessThan(1e-4 * Math.max(1, Math.abs(Math.log(p))));
      });
      // Midpoint rule with h ≤ σ/2 (error ~ e^{−2π²σ²/h²}) on a box holding all but e^-40 of the mass.
      const cells = Math.ceil((2 * box) / (std / 2));
      expect(gridIntegral(m, -box, box, cells)).toBeCloseTo(1, 3);
    }
  });

  it('stratified: the components take turns, n/8 points each (±1), in shuffled order', () => {
    const n = 1003;
    const centres: [number, number][] = Array.from({ length: 8 }, (_, k) => [5 * Math.cos((k * Math.PI) / 4), 5 * Math.sin((k * Math.PI) / 4)]);
    const x = draw(eightGaussians({ variant: 'torchcfm', std: 0.01, stratified: true }), n, 4);
    const counts = new Array<number>(8).fill(0);
    const firstEight: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = nearest(x[2 * i]!, x[2 * i + 1]!, centres);
      counts[k]!++;
      if (i < 8) firstEight.push(k);
    }
    expect(counts).toEqual([126, 126, 126, 125, 125, 125, 125, 125]);
    // Shuffled: the first rows are not the components in turn.
    expect(firstEight).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Same seed, same sample.
    expect(draw(eightGaussians({ variant: 'torchcfm', std: 0.01, stratified: true }), n, 4)).toEqual(x);
  });

  it('rejects bad options with a message naming the field', () => {
    expect(() => eightGaussians({ std: 0 })).toThrow(/8gaussians: bad options: options\.std/);
    expect(() => eightGaussians({ radius: -1 })).toThrow(/options\.radius/);
  });
});
