import { describe, expect, it } from 'vitest';
import { uniform1d } from './uniform-1d.js';
import { draw, gridIntegral, ksCritical, ksStatistic, logProbAt } from '../test-support/statistics.js';

describe('uniform-1d', () => {
  it('stays in (low, high) with the uniform CDF', () => {
    const n = 10000;
    const x = draw(uniform1d({ low: -2, high: 3 }), n, 101);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...x)).toBeLessThanOrEqual(3);
    expect(ksStatistic(x, (v) => Math.min(1, Math.max(0, (v + 2) / 5)))).toBeLessThan(ksCritical(n));
  });

  it('logProb is −log(high − low) inside, −∞ outside, and integrates to 1', () => {
    const m = uniform1d({ low: -2, high: 3 });
    expect(logProbAt(m, [[0], [-3], [3.5]])).toEqual([Math.fround(-Math.log(5)), -Infinity, -Infinity]);
    expect(gridIntegral(m, -4, 4, 800)).toBeCloseTo(1, 4);
  });

  it('rejects high ≤ low with a message naming high', () => {
    expect(() => uniform1d({ low: 1, high: 0 })).toThrow(/options\.high: must be greater than low/);
  });
});
