import { describe, expect, it } from 'vitest';
import { gaussian1d } from './gaussian-1d.js';
import { draw, gridIntegral, ksCritical, ksStatistic, logProbAt, mean, normalCdf, variance } from '../test-support/statistics.js';

describe('gaussian-1d', () => {
  it('has the documented mean, variance and CDF', () => {
    const n = 20000;
    const x = draw(gaussian1d({ mean: 2, std: 3 }), n, 91);
    // se(mean) = 3/√n ≈ 0.021 → tolerance 0.085; se(var) = 9·√(2/n) ≈ 0.09 → tolerance 0.36.
    expect(Math.abs(mean(x) - 2)).toBeLessThan(0.085);
    expect(Math.abs(variance(x) - 9)).toBeLessThan(0.36);
    expect(ksStatistic(x, (v) => normalCdf((v - 2) / 3))).toBeLessThan(ksCritical(n));
  });

  it('logProb is the normal log density and integrates to 1', () => {
    const m = gaussian1d({ mean: -1, std: 0.5 });
    const [atMean, atTwoSd] = logProbAt(m, [[-1], [0]]);
    expect(atMean).toBeCloseTo(-Math.log(0.5) - 0.5 * Math.log(2 * Math.PI), 5);
    expect(atTwoSd).toBeCloseTo(-2 - Math.log(0.5) - 0.5 * Math.log(2 * Math.PI), 5);
    expect(gridIntegral(m, -6, 4, 4000)).toBeCloseTo(1, 4);
  });

  it('rejects a non-positive std, naming the field', () => {
    expect(() => gaussian1d({ std: -1 })).toThrow(/gaussian-1d: bad options: options\.std/);
  });
});
