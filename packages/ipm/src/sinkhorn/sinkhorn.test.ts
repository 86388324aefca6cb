import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { checkDiscrepancyAxioms } from '@pfm/core/testing';
import { energyDistance } from '../energy/energy-distance.js';
import { finiteDifference, gaussianRows, gradientRows, relativeError, scalarValue, toTensor, type Rows } from '../test-support/host.js';
import { wasserstein } from '../wasserstein/wasserstein.js';
import fixtures from './fixtures/sinkhorn.json' with { type: 'json' };
import { sinkhorn } from './sinkhorn.js';
import { sinkhornDivergence } from './sinkhorn-divergence.js';
import { sinkhornDivergenceValue } from './sinkhorn-divergence-value.js';

// S_ε from three host (Float64) solves, tightly converged: the reference for values and finite differences.
function hostDivergence(x: Rows, y: Rows, options: { blur: number; p?: number }): number {
  const r = sinkhornDivergenceValue(x, y, { ...options, mode: 'tolerance', tolerance: 1e-12, maxIterations: 100_000 });
  expect(r.status).toBe('converged');
  return r.value;
}

describe('sinkhorn', () => {
  it('matches POT sinkhorn2 (log domain) and its plan (fixtures)', () => {
    for (const c of fixtures.cases) {
      const r = sinkhorn(c.x, c.y, {
        blur: Math.sqrt(c.epsilon), // ε = blur^p with p = 2, cost ‖x − y‖²/2 as in the fixture
        mode: 'tolerance',
        tolerance: 1e-12,
        maxIterations: 100_000,
        plan: true,
        ...(c.weightsX ? { weightsX: c.weightsX } : {}),
        ...(c.weightsY ? { weightsY: c.weightsY } : {}),
      });
      expect(r.status).toBe('converged');
      expect(r.epsilon).toBeCloseTo(c.epsilon, 12);
      expect(r.transportCost, c.name).toBeCloseTo(c.sinkhorn2, 9);
      const m = c.y.length;
      c.plan.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(r.plan![i * m + j]! - v)).toBeLessThan(1e-10)));
    }
  });

  it('OT_ε(x, x) from the general call equals the sum of the debiasing terms (symmetric solve)', () => {
    const x = gaussianRows(7, 9, [0, 0], 1);
    const y = gaussianRows(8, 9, [0.5, 0], 1);
    const o = { blur: 0.3, mode: 'tolerance', tolerance: 1e-12, maxIterations: 100_000 } as const;
    const s = sinkhorn(x, y, o).value - 0.5 * (sinkhorn(x, x, o).value + sinkhorn(y, y, o).value);
    expect(s).toBeCloseTo(sinkhornDivergenceValue(x, y, o).value, 9);
    expect(Math.abs(sinkhornDivergenceValue(x, x, o).value)).toBeLessThan(1e-12);
  });

  it('reports max-iterations when it cannot converge in time, and rejects bad options', () => {
    const x = gaussianRows(1, 20, [0, 0], 1);
    const y = gaussianRows(2, 20, [1, 0], 1);
    const r = sinkhorn(x, y, { blur: 0.01, mode: 'tolerance', maxIterations: 2, tolerance: 1e-14 });
    expect(r.status).toBe('max-iterations');
    expect(r.iterations).toBe(2);
    expect(() => sinkhorn(x, y, { scaling: 1 })).toThrow(/scaling must be in \(0, 1\), got 1/);
    expect(() => sinkhorn(x, y, { blur: 0 })).toThrow(/blur must be a positive number, got 0/);
    expect(() => sinkhorn(x, y, { mode: 'fast' as never })).toThrow(/mode must be 'scaling' or 'tolerance', got "fast"/);
  });
});

describe('sinkhornDivergence', () => {
  it('is 0 on identical samples, symmetric, nonnegative, separating, with a finite-difference-exact gradient', () => {
    // A tight tolerance: the envelope-theorem gradient is exact only at converged potentials.
    checkDiscrepancyAxioms((x, y) => sinkhornDivergence(x, y, { blur: 0.3, mode: 'tolerance', tolerance: 1e-7 }), { name: 'sinkhorn', n: 32 });
  });

  it('value and envelope-theorem gradient match float64 finite differences (p = 2 and p = 1)', () => {
    const xr = gaussianRows(3, 5, [0, 0], 1);
    const yr = gaussianRows(4, 4, [0.8, -0.3], 0.7);
    for (const p of [2, 1]) {
      const options = { blur: 0.4, p };
      const f = (x: tf.Tensor2D) => {
        const y = toTensor(yr);
        const v = sinkhornDivergence(x, y, { ...options, mode: 'tolerance', tolerance: 1e-12, maxIterations: 100_000 });
        y.dispose();
        return v;
      };
      const x = toTensor(xr);
      expect(scalarValue(f(x))).toBeCloseTo(hostDivergence(xr, yr, options), 5);
      x.dispose();
      const fd = finiteDifference((xs) => hostDivergence(xs, yr, options), xr, 1e-5);
      // Float32 gradient (from Float64 potentials) against Float64 central differences.
      expect(relativeError(gradientRows(f, xr), fd)).toBeLessThan(1e-3);
    }
  });

  it('tends to ½W₂² as blur → 0 and to ½ of the energy distance (p = 1) as blur → ∞', () => {
    const xr = gaussianRows(5, 12, [0, 0], 1);
    const yr = gaussianRows(6, 12, [1, 0.5], 0.6);
    const x = toTensor(xr);
    const y = toTensor(yr);
    // Small blur: the entropic bias of the debiased divergence is O(ε²) here (ε = 1e-4).
    const w2 = wasserstein(xr, yr).cost;
    expect(scalarValue(sinkhornDivergence(x, y, { blur: 0.01, mode: 'tolerance', maxIterations: 20_000 })) / (0.5 * w2)).toBeCloseTo(1, 2);
    // Large blur: S_ε → ½ MMD² with kernel −‖x − y‖ = ½ (biased) energy distance (Feydy et al. 2019, Prop. 2).
    const half = 0.5 * scalarValue(energyDistance(x, y, { estimator: 'biased' }));
    expect(scalarValue(sinkhornDivergence(x, y, { blur: 1e4, p: 1, mode: 'tolerance' })) / half).toBeCloseTo(1, 3);
    tf.dispose([x, y]);
  });
});
