import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import fixtures from './fixtures/emd.json' with { type: 'json' };
import { checkDiscrepancyAxioms } from '@pfm/core/testing';
import { finiteDifference, gradientRows, relativeError } from '../test-support/host.js';
import { exactAssignment } from './exact-assignment.js';
import { wassersteinLoss } from './wasserstein-loss.js';
import { wasserstein, type WassersteinResult } from './wasserstein.js';

// The exact solvers run on the host in Float64 and do not depend on the tfjs backend: the heavier
// statistical test runs once (cpu project) instead of twice.
const hostOnce = it.skipIf(process.env.PFM_BACKEND === 'wasm');

type Rows = number[][];

function sample(seed: number, n: number, mu: number[], S: number[][]): Rows {
  // x = μ + L z with Σ = L Lᵀ (2×2 Cholesky).
  const l11 = Math.sqrt(S[0]![0]!);
  const l21 = S[1]![0]! / l11;
  const l22 = Math.sqrt(S[1]![1]! - l21 * l21);
  const z = createRng(seed).normalArray(2 * n);
  return Array.from({ length: n }, (_, i) => [mu[0]! + l11 * z[2 * i]!, mu[1]! + l21 * z[2 * i]! + l22 * z[2 * i + 1]!]);
}

function costOf(x: Rows, y: Rows, p: number, r: WassersteinResult): number {
  const c = (i: number, j: number) => Math.hypot(...x[i]!.map((v, k) => v - y[j]![k]!)) ** p;
  if (r.plan.kind === 'assignment') return [...r.plan.assignment].reduce((s, j, i) => s + c(i, j), 0) / x.length;
  const plan = r.plan;
  return [...plan.rows].reduce((s, i, k) => s + plan.mass[k]! * c(i, plan.cols[k]!), 0);
}

describe('wasserstein (exact)', () => {
  hostOnce('W2 between samples of two Gaussians approaches the Bures formula', () => {
    // W2²(N(m1, S1), N(m2, S2)) = ‖m1 − m2‖² + tr S1 + tr S2 − 2 tr (S2^½ S1 S2^½)^½, and for 2×2
    // matrices tr (S2^½ S1 S2^½)^½ = sqrt(tr(S1 S2) + 2 sqrt(det S1 det S2)).
    const S1 = [[1, 0.3], [0.3, 0.5]];
    const S2 = [[0.6, -0.2], [-0.2, 1.2]];
    const trS1S2 = 1 * 0.6 + 0.3 * -0.2 + 0.3 * -0.2 + 0.5 * 1.2;
    const det1 = 1 * 0.5 - 0.3 * 0.3;
    const det2 = 0.6 * 1.2 - 0.2 * 0.2;
    const exact = Math.sqrt(1 + 0.25 + 1.5 + 1.8 - 2 * Math.sqrt(trS1S2 + 2 * Math.sqrt(det1 * det2)));
    const r = wasserstein(sample(10, 1000, [0, 0], S1), sample(50, 1000, [1, -0.5], S2));
    expect(r.solver).toBe('assignment');
    // Between two 1000-point samples W2² fluctuates with standard deviation ≈ 0.054 (6 seeds), i.e.
    // ≈ 0.02 on W2 = 1.2755, with a small downward bias; 0.08 is ≈ 4 standard deviations, while
    // forgetting the covariance term, or returning W2² for W2, is off by more than 0.3.
    expect(Math.abs(r.value - exact)).toBeLessThan(0.08);
  });

  it('matches POT emd2 / emd2_1d reference values (fixtures)', () => {
    for (const c of fixtures.cases) {
      const options = {
        p: c.p,
        ...(c.weightsX ? { weightsX: c.weightsX } : {}),
        ...(c.weightsY ? { weightsY: c.weightsY } : {}),
      };
      const r = wasserstein(c.x, c.y, options);
      expect(r.cost, c.name).toBeCloseTo(c.emd2, 9);
      expect(costOf(c.x, c.y, c.p, r), c.name).toBeCloseTo(c.emd2, 9);
      // The network solver reaches the same optimum on every case, including replicated ones.
      if (c.x[0]!.length > 1) expect(wasserstein(c.x, c.y, { ...options, solver: 'network' }).cost).toBeCloseTo(c.emd2, 9);
    }
  });

  it('in 1-D, W1 is the L1 distance between the CDFs (computed by hand)', () => {
    // x = {0, 2, 3} (mass 1/3 each), y = {1, 4} (1/2 each). |F_x − F_y| on [0,1), [1,2), [2,3), [3,4):
    // 1/3, 1/6, 1/6, 1/2, each over a unit interval, so W1 = ∫|F_x − F_y| = 7/6.
    const x = [[0], [2], [3]];
    const y = [[1], [4]];
    for (const solver of ['sorting', 'network', 'assignment'] as const) {
      const r = wasserstein(x, y, { p: 1, solver });
      expect(r.value, solver).toBeCloseTo(7 / 6, 12);
    }
  });

  it('returns dual potentials that satisfy complementary slackness', () => {
    const x = sample(3, 40, [0, 0], [[1, 0], [0, 1]]);
    const y = sample(4, 25, [1, 0], [[0.5, 0], [0, 2]]);
    for (const options of [{}, { solver: 'network' as const }, { weightsY: Array.from({ length: 25 }, (_, j) => 1 + (j % 3)) }]) {
      const r = wasserstein(x, y, options);
      const { u, v } = r.potentials!;
      const C = (i: number, j: number) => (x[i]![0]! - y[j]![0]!) ** 2 + (x[i]![1]! - y[j]![1]!) ** 2;
      for (let i = 0; i < x.length; i++) for (let j = 0; j < y.length; j++) expect(u[i]! + v[j]!).toBeLessThanOrEqual(C(i, j) + 1e-9);
      if (r.plan.kind === 'sparse') {
        const plan = r.plan;
        plan.rows.forEach((i, k) => expect(u[i]! + v[plan.cols[k]!]!).toBeCloseTo(C(i, plan.cols[k]!), 9));
      }
    }
  });

  it('accepts tensors and rejects bad options with a message naming the field', () => {
    const x = tf.tensor2d([[0, 0], [1, 0]]);
    const y = tf.tensor2d([[0, 1], [1, 1]]);
    expect(wasserstein(x, y).value).toBeCloseTo(1, 6);
    expect(() => wasserstein(x, y, { p: 0.5 })).toThrow(/p must be a number ≥ 1, got 0.5/);
    expect(() => wasserstein(x, y, { weightsX: [1] })).toThrow(/weightsX has 1 entries, expected 2/);
    expect(() => wasserstein(x, [[0, 0, 0]])).toThrow(/same dimension, got 2 and 3/);
    expect(() => wasserstein(x, y, { solver: 'sorting' })).toThrow(/needs 1-D points/);
    tf.dispose([x, y]);
  });
});

describe('exactAssignment', () => {
  it('is a permutation with the optimal squared-Euclidean cost on minibatches', () => {
    const x = sample(5, 64, [0, 0], [[1, 0], [0, 1]]);
    const y = sample(6, 64, [2, 0], [[1, 0.5], [0.5, 1]]);
    const xt = tf.tensor2d(x);
    const yt = tf.tensor2d(y);
    const sigma = exactAssignment(xt, yt);
    tf.dispose([xt, yt]);
    expect([...sigma].sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => i));
    const cost = [...sigma].reduce((s, j, i) => s + (x[i]![0]! - y[j]![0]!) ** 2 + (x[i]![1]! - y[j]![1]!) ** 2, 0) / 64;
    expect(cost).toBeCloseTo(wasserstein(x, y, { solver: 'network' }).cost, 6);
    // In 1-D the optimal matching is monotone.
    const line = exactAssignment([[3], [1], [2]], [[10], [30], [20]]);
    expect([...line]).toEqual([1, 0, 2]);
    expect(() => exactAssignment([[0, 0]], [[0, 0], [1, 1]])).toThrow(/same shape/);
  });
});

describe('wassersteinLoss', () => {
  it('gradient equals float64 finite differences of the exact cost (unique plan)', () => {
    const xr = sample(7, 6, [0, 0], [[1, 0], [0, 1]]);
    const yr = sample(8, 6, [1, 0], [[1, 0], [0, 1]]);
    for (const [p, root] of [[2, false], [2, true], [1, true]] as const) {
      const host = (x: Rows) => (root ? wasserstein(x, yr, { p }).value : wasserstein(x, yr, { p }).cost);
      const fd = finiteDifference(host, xr, 1e-6);
      const g = gradientRows((x) => {
        const y = tf.tensor2d(yr);
        const v = wassersteinLoss(x, y, { p, root });
        y.dispose();
        return v;
      }, xr);
      expect(relativeError(g, fd)).toBeLessThan(1e-3);
    }
  });

  it('satisfies the discrepancy axioms (W₂², unequal sizes through the network solver too)', () => {
    checkDiscrepancyAxioms((x, y) => wassersteinLoss(x, y, { root: false }), { name: 'wasserstein', n: 24 });
  });
});
