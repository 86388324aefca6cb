import { describe, expect, it } from 'vitest';
import { twoIntervals } from './two-intervals.js';
import { draw, gridIntegral, ksCritical, ksStatistic, logProbAt, proportionTolerance } from '../test-support/statistics.js';

// CDF of the uniform law on (0, ¼) ∪ (¾, 1): density 2 on each interval.
function cdf(x: number): number {
  if (x <= 0) return 0;
  if (x <= 0.25) return 2 * x;
  if (x <= 0.75) return 0.5;
  if (x <= 1) return 0.5 + 2 * (x - 0.75);
  return 1;
}

describe('two-intervals', () => {
  it('puts every point in (0, ¼) ∪ (¾, 1), half in each, uniformly', () => {
    const n = 10000;
    const x = draw(twoIntervals(), n, 111);
    let left = 0;
    let elsewhere = 0;
    for (const v of x) {
      if (v >= 0 && v <= 0.25) left++;
      else if (!(v >= 0.75 && v <= 1)) elsewhere++;
    }
    expect(elsewhere).toBe(0);
    expect(Math.abs(left / n - 0.5)).toBeLessThan(proportionTolerance(0.5, n));
    expect(ksStatistic(x, cdf)).toBeLessThan(ksCritical(n));
  });

  it('logProb is log 2 on the intervals, −∞ in the gap and outside, and integrates to 1', () => {
    const m = twoIntervals();
    expect(logProbAt(m, [[0.1], [0.9], [0.5], [-0.1], [1.2]])).toEqual([
      Math.fround(Math.LN2),
      Math.fround(Math.LN2),
      -Infinity,
      -Infinity,
      -Infinity,
    ]);
    expect(gridIntegral(m, -0.5, 1.5, 1000)).toBeCloseTo(1, 4);
  });

  it('takes no options and names an unknown one', () => {
    expect(() => twoIntervals({ width: 1 } as never)).toThrow(/two-intervals: bad options: .*width/);
  });
});
