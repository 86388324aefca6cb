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
