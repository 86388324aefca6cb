import { describe, expect, it } from 'vitest';
import { leastSquaresSlope } from './least-squares-slope.js';

describe('leastSquaresSlope', () => {
  it('recovers an exact line and the closed form of a noisy one', () => {
    const x = [0, 1, 2, 3, 4];
    expect(leastSquaresSlope(x, x.map((v) => 7 - 2.5 * v))).toEqual({ slope: -2.5, intercept: 7 });
    // y = 1, 3, 2, 5, 4: x̄ = 2, ȳ = 3, Σ dx·dy = 8, Σ dx² = 10, so b = 0.8 and a = 3 − 1.6 = 1.4.
    const line = leastSquaresSlope(x, [1, 3, 2, 5, 4]);
    expect(line.slope).toBeCloseTo(0.8, 12);
    expect(line.intercept).toBeCloseTo(1.4, 12);
  });

  it('refuses too few points, mismatched lengths and a constant x', () => {
    expect(() => leastSquaresSlope([1], [2])).toThrow('least squares: got 1 point(s); expected at least 2');
    expect(() => leastSquaresSlope([1, 2], [2])).toThrow('least squares: x has 2 values but y has 1; expected the same count');
    expect(() => leastSquaresSlope([3, 3], [1, 2])).toThrow('least squares: every x is 3; expected at least two different x values');
  });
});
