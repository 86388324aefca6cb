import { describe, expect, it } from 'vitest';
import { configHash } from '../results/config-hash.js';
import { formatMeanStd, meanStd } from './summary.js';

describe('meanStd', () => {
  it('uses the sample standard deviation (n − 1) and ignores missing values', () => {
    // 1, 2, 3, 4: mean 2.5, Σ(x − m)² = 5, s = √(5/3).
    const s = meanStd([1, 2, null, 3, 4, Number.NaN])!;
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(s.n).toBe(4);
    expect(meanStd([null, undefined])).toBeNull();
  });

  it('formats one value without ±, several with it, integers as integers', () => {
    expect(formatMeanStd([0.1234])).toBe('0.123');
    expect(formatMeanStd([1, 3])).toBe('2 ± 1.41');
    expect(formatMeanStd([8706, 8706])).toBe('8706 ± 0');
    expect(formatMeanStd([])).toBe('–');
  });
});

describe('configHash', () => {
  it('ignores key order and changes with any value', () => {
    const a = configHash({ recipe: { method: 'flow-matching', steps: 10 }, seed: 0 });
    expect(configHash({ seed: 0, recipe: { steps: 10, method: 'flow-matching' } })).toBe(a);
    expect(configHash({ recipe: { method: 'flow-matching', steps: 11 }, seed: 0 })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});
