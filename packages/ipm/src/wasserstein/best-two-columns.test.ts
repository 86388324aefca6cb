import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { bestTwoColumns } from './best-two-columns.js';

// Host-only Float64 code: nothing here touches tfjs, so one backend suffices.
const hostOnly = process.env.PFM_BACKEND === 'wasm';

describe.skipIf(hostOnly)('bestTwoColumns', () => {
  it('agrees with sorting the shifted row (first minimum wins, runner-up column kept)', () => {
    const rng = createRng(8);
    const best = new Float64Array(4);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + Math.floor(rng.next() * 12);
      // Few distinct values, so ties are common.
      const row = Float64Array.from({ length: n }, () => Math.floor(rng.next() * 4));
      const shift = Float64Array.from({ length: n }, () => Math.floor(rng.next() * 3) - 1);
      bestTwoColumns(row, shift, best);
      const h = Array.from(row, (c, j) => c + shift[j]!);
      const sorted = h.map((value, j) => ({ value, j })).sort((p, q) => p.value - q.value || p.j - q.j);
      expect(best[0]).toBe(sorted[0]!.j);
      expect(best[1]).toBe(sorted[0]!.value);
      expect(best[2]).toBe(n > 1 ? sorted[1]!.value : Infinity);
      expect(best[3]).toBe(n > 1 ? sorted[1]!.j : -1);
    }
  });
});
