import { describe, expect, it } from 'vitest';
import { checkerboard } from './checkerboard.js';
import { CHI2_999, chiSquareUniform, draw, gridIntegral, ksCritical, ksStatistic, logProbAt } from '../test-support/statistics.js';

describe('checkerboard', () => {
  it('puts every point in a black square (i + j even) and fills the 8 squares equally and uniformly', () => {
    const n = 16000;
    const x = draw(checkerboard(), n, 21);
    const counts = new Map<string, number>();
    const fractional: number[] = [];
    let outsideBoard = 0;
    let onWhite = 0;
    for (let r = 0; r < n; r++) {
      const u = x[2 * r]! / 2;
      const v = x[2 * r + 1]! / 2;
      if (Math.abs(u) > 2 || Math.abs(v) > 2) outsideBoard++;
      const i = Math.floor(u);
      const j = Math.floor(v);
      if ((((i + j) % 2) + 2) % 2 !== 0) onWhite++;
      counts.set(`${i},${j}`, (counts.get(`${i},${j}`) ?? 0) + 1);
      fractional.push(u - i, v - j);
    }
    expect(outsideBoard).toBe(0);
    expect(onWhite).toBe(0);
    expect([...counts.keys()].sort()).toEqual(
      ['-2,-2', '-2,0', '-1,-1', '-1,1', '0,-2', '0,0', '1,-1', '1,1'].sort(),
    );
    expect(chiSquareUniform([...counts.values()])).toBeLessThan(CHI2_999[7]!);
    // Uniform inside a square: the position within the square is U(0, 1) in each coordinate.
    expect(ksStatistic(fractional.slice(0, n), (t) => Math.min(1, Math.max(0, t)))).toBeLessThan(ksCritical(n));
  });

  it('scale sets the side of a square (torchcfm two_dim: 7.5)', () => {
    const x = draw(checkerboard({ scale: 7.5 }), 2000, 22);
    let maxAbs = 0;
    for (const v of x) maxAbs = Math.max(maxAbs, Math.abs(v));
    expect(maxAbs).toBeLessThanOrEqual(15);
    expect(maxAbs).toBeGreaterThan(14.5);
  });

  it('logProb is −log 32 on black squares, −∞ on white ones and outside, and integrates to 1', () => {
    const m = checkerboard();
    const lp = logProbAt(m, [
      [-3, -3], // square (−2, −2): black
      [1, 1], // (0, 0): black
      [3, -1], // (1, −1): black
      [2.5, 0.5], // (1, 0): white
      [-1, 1], // (−1, 0): white
      [5, 0], // outside
      [4, 4], // far corner of the board, square (1, 1): black
    ]);
    expect(lp.slice(0, 3)).toEqual([-Math.log(32), -Math.log(32), -Math.log(32)].map(Math.fround));
    expect(lp.slice(3, 6)).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(lp[6]).toBeCloseTo(-Math.log(32), 5);
    // Every sample has finite density.
    const x = draw(m, 4000, 23);
    const rows = Array.from({ length: 4000 }, (_, i) => [x[2 * i]!, x[2 * i + 1]!]);
    expect(logProbAt(m, rows).every(Number.isFinite)).toBe(true);
    // Cell midpoints never fall on a square's edge: the midpoint sum is exact (float32 rounding only).
    expect(gridIntegral(m, -5, 5, 200)).toBeCloseTo(1, 4);
  });
});
