import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { checkDiscrepancyAxioms } from '@pfm/core/testing';
import { finiteDifference, gaussianRows, gradientRows, relativeError, scalarValue, toTensor, type Rows } from '../test-support/host.js';
import { wasserstein } from '../wasserstein/wasserstein.js';
import fixtures from './fixtures/sliced.json' with { type: 'json' };
import { slicedWasserstein } from './sliced-wasserstein.js';

describe('slicedWasserstein', () => {
  it('matches POT sliced_wasserstein_distance with the same directions (fixtures, n = m and n ≠ m)', () => {
    for (const c of fixtures.cases) {
      const x = toTensor(c.x);
      const y = toTensor(c.y);
      const v = scalarValue(slicedWasserstein(x, y, { p: c.p, directions: c.directions }));
      tf.dispose([x, y]);
      // float32 projections and sums: 1e-5 relative.
      expect(Math.abs(v - c.sliced) / c.sliced, c.name).toBeLessThan(1e-5);
    }
  });

  it('per direction equals the exact 1-D Wasserstein distance', () => {
    const xr = gaussianRows(1, 9, [0, 0], 1);
    const yr = gaussianRows(2, 6, [1, 0], 2);
    const dir = [0.6, 0.8];
    const project = (rows: Rows) => rows.map((r) => [r[0]! * dir[0]! + r[1]! * dir[1]!]);
    const x = toTensor(xr);
    const y = toTensor(yr);
    for (const p of [1, 2, 3]) {
      const sw = scalarValue(slicedWasserstein(x, y, { p, directions: [dir] }));
      expect(sw).toBeCloseTo(wasserstein(project(xr), project(yr), { p }).value, 4);
    }
    tf.dispose([x, y]);
  });

  it('gradient matches float64 finite differences (sorted order fixed locally)', () => {
    const xr = gaussianRows(3, 6, [0, 0], 1);
    const yr = gaussianRows(4, 4, [0.5, 0], 1);
    const dirs = [[1, 0], [0.6, -0.8], [0, 1]];
    const host = (x: Rows) =>
      dirs.reduce((s, dir) => {
        const proj = (rows: Rows) => rows.map((r) => [r[0]! * dir[0]! + r[1]! * dir[1]!]);
        return s + wasserstein(proj(x), proj(yr), { p: 2 }).cost;
      }, 0) / dirs.length;
    const fd = finiteDifference(host, xr, 1e-6);
    const g = gradientRows((x) => {
      const y = toTensor(yr);
      const v = slicedWasserstein(x, y, { directions: dirs, root: false });
      y.dispose();
      return v;
    }, xr);
    expect(relativeError(g, fd)).toBeLessThan(1e-2);
  });

  it('satisfies the discrepancy axioms', () => {
    checkDiscrepancyAxioms((x, y) => slicedWasserstein(x, y, { projections: 16, root: false }), { name: 'sliced' });
  });

  it('is deterministic for a seed and rejects bad options', () => {
    const x = toTensor(gaussianRows(5, 10, [0, 0, 0], 1));
    const y = toTensor(gaussianRows(6, 10, [1, 0, 0], 1));
    const a = scalarValue(slicedWasserstein(x, y, { seed: 3 }));
    expect(scalarValue(slicedWasserstein(x, y, { seed: 3 }))).toBe(a);
    expect(scalarValue(slicedWasserstein(x, y, { seed: 4 }))).not.toBe(a);
    expect(() => slicedWasserstein(x, y, { projections: 0 })).toThrow(/projections must be a positive integer, got 0/);
    expect(() => slicedWasserstein(x, y, { directions: [[1, 0]] })).toThrow(/directions\[0\] must be a nonzero 3-vector/);
    tf.dispose([x, y]);
  });
});
