import { describe, expect, it } from 'vitest';
import { fastExp } from './fast-exp.js';

describe('fastExp', () => {
  it('matches Math.exp to 1e-14 relative on [−708, 0], and handles the ends', () => {
    let worst = 0;
    // A dense deterministic sweep (crosses every k = round(32t/ln2) and both ends of each reduced range).
    for (let i = 0; i <= 400_000; i++) {
      const t = -708 * (i / 400_000) ** 2;
      worst = Math.max(worst, Math.abs(fastExp(t) / Math.exp(t) - 1));
    }
    expect(worst).toBeLessThan(1e-14);
    expect(fastExp(0)).toBe(1);
    expect(fastExp(-800)).toBe(0);
    expect(fastExp(-Infinity)).toBe(0);
    expect(fastExp(Number.NaN)).toBeNaN();
  });
});

describe('fastExp constants', () => {
  it('the literals are the exact doubles of 32·log₂e and the split of ln2/32', () => {
    expect(46.16624130844683).toBe(32 * Math.LOG2E);
    expect(0.02166084938653512).toBe(6.9314718036912381649e-1 / 32);
    expect(5.9631716539705866e-12).toBe(1.90821492927058770002e-10 / 32);
    // The high part has at most 53 − 16 significant bits, so k·high is exact for |k| < 2^16.
    const high = 0.02166084938653512 * 2 ** 40;
    expect(Number.isInteger(high)).toBe(true);
  });
});
