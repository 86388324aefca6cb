import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import fixtures from './fixtures/network-simplex.json' with { type: 'json' };
import { matrixCostRows, pointCostRows, type CostRows } from './cost-rows.js';
import { solveNetworkSimplex, type NetworkSimplexSolution } from './network-simplex.js';
import { replicatedAssignment } from './replicated-assignment.js';
import { solveAssignment } from './solve-assignment.js';
import { solveTransport } from './solve-transport.js';
import { wasserstein } from './wasserstein.js';

// Host-only Float64 solvers: nothing here touches tfjs, so one backend suffices.
const hostOnly = process.env.PFM_BACKEND === 'wasm';

function cloud(seed: number, n: number, d: number, shift: number, spread: number): Float64Array {
  return Float64Array.from(createRng(seed).normalArray(n * d), (z) => shift + spread * z);
}

function normalised(w: ArrayLike<number>): Float64Array {
  const total = Array.from(w).reduce((s, v) => s + v, 0);
  return Float64Array.from(w, (v) => v / total);
}

function randomWeights(seed: number, n: number, zeroFraction = 0): Float64Array {
  const rng = createRng(seed);
  const w = Float64Array.from({ length: n }, () => (rng.next() < zeroFraction ? 0 : 0.1 + rng.next()));
  if (w.every((v) => v === 0)) w[0] = 1;
  return normalised(w);
}

/**
 * Checks what certifies an exact optimum, to 1e-12 of the cost scale (the solver's pricing
 * tolerance is 1e-13 of it; Float64 sums of a few thousand terms stay far below): marginals
 * π1 = a, πᵀ1 = b, π ≥ 0 with at most n + m − 1 nonzeros (a spanning-tree basis), dual
 * feasibility u_i + v_j ≤ C_ij everywhere, equality on the support, and Σ a u + Σ b v = cost.
 */
function expectOptimal(costs: CostRows, a: Float64Array, b: Float64Array, s: NetworkSimplexSolution): void {
  const { n, m } = costs;
  const row = new Float64Array(m);
  let scale = 0;
  for (let i = 0; i < n; i++) for (const c of costs.row(i, row)) scale = Math.max(scale, Math.abs(c));
  const tol = 1e-12 * Math.max(scale, 1e-300);
  expect(s.rows.length).toBeLessThanOrEqual(n + m - 1);
  const rowSums = new Float64Array(n);
  const colSums = new Float64Array(m);
  let cost = 0;
  s.rows.forEach((i, k) => {
    const j = s.cols[k]!;
    expect(s.mass[k]!).toBeGreaterThan(0);
    rowSums[i] = rowSums[i]! + s.mass[k]!;
    colSums[j] = colSums[j]! + s.mass[k]!;
    cost += s.mass[k]! * costs.at(i, j);
    expect(Math.abs(s.rowPotentials[i]! + s.columnPotentials[j]! - costs.at(i, j))).toBeLessThanOrEqual(tol);
  });
  rowSums.forEach((v, i) => expect(Math.abs(v - a[i]!)).toBeLessThan(1e-14));
  colSums.forEach((v, j) => expect(Math.abs(v - b[j]!)).toBeLessThan(1e-14));
  expect(Math.abs(cost - s.cost)).toBeLessThanOrEqual(tol);
  let worst = Infinity;
  for (let i = 0; i < n; i++) {
    const c = costs.row(i, row);
    for (let j = 0; j < m; j++) worst = Math.min(worst, c[j]! - s.rowPotentials[i]! - s.columnPotentials[j]!);
  }
  expect(worst).toBeGreaterThanOrEqual(-tol);
  const dual = s.rowPotentials.reduce((t, u, i) => t + a[i]! * u, 0) + s.columnPotentials.reduce((t, v, j) => t + b[j]! * v, 0);
  expect(Math.abs(dual - s.cost)).toBeLessThanOrEqual(tol);
}

function relative(x: number, y: number): number {
  return Math.abs(x - y) / Math.max(Math.abs(y), 1e-300);
}

describe.skipIf(hostOnly)('solveNetworkSimplex', () => {
  it('equals the Jonker–Volgenant assignment for equal sizes (points p = 1, 2, d = 2, 3; integer ties)', () => {
    for (const [n, d, p, seed] of [[30, 2, 2, 1], [57, 3, 1, 2], [120, 2, 2, 3], [80, 3, 3, 4]] as const) {
      const costs = pointCostRows({ data: cloud(seed, n, d, 0, 1), n, d }, { data: cloud(seed + 100, n, d, 0.8, 1.5), n, d }, p);
      const uniform = new Float64Array(n).fill(1 / n);
      const s = solveNetworkSimplex(costs, uniform, uniform);
      expect(relative(s.cost, solveAssignment(costs).cost / n)).toBeLessThan(1e-9);
      expectOptimal(costs, uniform, uniform, s);
    }
    // Costs in {0, …, 4}: many optimal plans and degenerate pivots.
    const rng = createRng(9);
    const c = Array.from({ length: 40 }, () => Array.from({ length: 40 }, () => rng.int(5)));
    const costs = matrixCostRows(c, 'test');
    const uniform = new Float64Array(40).fill(1 / 40);
    const s = solveNetworkSimplex(costs, uniform, uniform);
    expect(relative(s.cost, solveAssignment(costs).cost / 40)).toBeLessThan(1e-9);
    expectOptimal(costs, uniform, uniform, s);
  });

  it('equals successive shortest paths for random weights, unequal sizes and zero weights', () => {
    for (const [n, m, zeros, seed] of [[25, 40, 0, 1], [60, 33, 0.3, 2], [7, 90, 0, 3], [45, 45, 0.2, 4], [1, 12, 0, 5], [12, 1, 0, 6]] as const) {
      const costs = pointCostRows({ data: cloud(seed, n, 2, 0, 1), n, d: 2 }, { data: cloud(seed + 50, m, 2, 1, 2), n: m, d: 2 }, seed % 2 ? 2 : 1);
      const a = randomWeights(seed + 200, n, zeros);
      const b = randomWeights(seed + 300, m, zeros);
      const s = solveNetworkSimplex(costs, a, b);
      expect(relative(s.cost, solveTransport(costs, a, b).cost), `${n}×${m}`).toBeLessThan(1e-9);
      expectOptimal(costs, a, b, s);
    }
  });

  it('equals the replicated assignment for uniform weights with unequal sizes', () => {
    for (const [n, m, seed] of [[40, 60, 1], [90, 30, 2], [64, 48, 3], [300, 200, 4]] as const) {
      const costs = pointCostRows({ data: cloud(seed, n, 2, 0, 1), n, d: 2 }, { data: cloud(seed + 7, m, 2, 2, 1), n: m, d: 2 }, 2);
      const a = new Float64Array(n).fill(1 / n);
      const b = new Float64Array(m).fill(1 / m);
      const s = solveNetworkSimplex(costs, a, b);
      expect(relative(s.cost, replicatedAssignment(costs).cost), `${n}×${m}`).toBeLessThan(1e-9);
      expectOptimal(costs, a, b, s);
    }
  });

  it('the block size changes the path, not the optimum (blocks of 10 arcs, default, one block)', () => {
    const n = 70;
    const m = 50;
    const costs = pointCostRows({ data: cloud(11, n, 2, 0, 1), n, d: 2 }, { data: cloud(12, m, 2, 0.5, 1), n: m, d: 2 }, 2);
    const a = randomWeights(13, n);
    const b = randomWeights(14, m);
    const results = [10, undefined, n * m].map((blockSize) => solveNetworkSimplex(costs, a, b, blockSize ? { blockSize } : {}));
    for (const s of results) {
      expect(relative(s.cost, results[1]!.cost)).toBeLessThan(1e-12);
      expectOptimal(costs, a, b, s);
    }
    // Pricing every arc (Dantzig's rule) needs fewer pivots than blocks of 10 arcs.
    expect(results[2]!.pivots).toBeLessThan(results[0]!.pivots);
  });

  it('handles degenerate inputs: duplicated points, one point against many, all points equal', () => {
    // x's second half repeats its first half, y has triplicates: ties everywhere, still optimal.
    const half = cloud(21, 15, 2, 0, 1);
    const x = new Float64Array(60);
    x.set(half, 0);
    x.set(half, 30);
    const y3 = cloud(22, 10, 2, 0.3, 1);
    const y = new Float64Array(60);
    for (let r = 0; r < 3; r++) y.set(y3, 20 * r);
    const dup = pointCostRows({ data: x, n: 30, d: 2 }, { data: y, n: 30, d: 2 }, 2);
    const u30 = new Float64Array(30).fill(1 / 30);
    const s = solveNetworkSimplex(dup, u30, u30);
    expect(relative(s.cost, solveAssignment(dup).cost / 30)).toBeLessThan(1e-9);
    expectOptimal(dup, u30, u30, s);
    // One point against many: all the mass goes from it, cost = Σ_j b_j C_0j exactly.
    const many = pointCostRows({ data: Float64Array.of(0.5, -1), n: 1, d: 2 }, { data: cloud(23, 17, 2, 0, 1), n: 17, d: 2 }, 1);
    const b = randomWeights(24, 17);
    const one = solveNetworkSimplex(many, Float64Array.of(1), b);
    expect(one.cost).toBeCloseTo(b.reduce((t, w, j) => t + w * many.at(0, j), 0), 14);
    expectOptimal(many, Float64Array.of(1), b, one);
    // Every point at the same place: cost 0, a feasible plan, zero reduced costs.
    const same = pointCostRows({ data: new Float64Array(8).fill(2), n: 4, d: 2 }, { data: new Float64Array(14).fill(2), n: 7, d: 2 }, 2);
    const z = solveNetworkSimplex(same, randomWeights(25, 4), randomWeights(26, 7));
    expect(z.cost).toBe(0);
    expectOptimal(same, randomWeights(25, 4), randomWeights(26, 7), z);
  });

  it('rejects weights of different totals, lengths and non-finite costs', () => {
    const costs = matrixCostRows([[1, 2], [3, 4]], 'test');
    expect(() => solveNetworkSimplex(costs, Float64Array.of(0.5, 0.5), Float64Array.of(0.5, 0.2))).toThrow(/found no partner/);
    expect(() => solveNetworkSimplex(costs, Float64Array.of(1), Float64Array.of(0.5, 0.5))).toThrow(/lengths 1 and 2, expected 2 and 2/);
    const bad: CostRows = { n: 1, m: 2, row: (_, s) => s.fill(NaN), at: () => NaN };
    expect(() => solveNetworkSimplex(bad, Float64Array.of(1), Float64Array.of(0.5, 0.5))).toThrow(/cost\[0\]\[0\] = NaN is not finite/);
  });
});

describe.skipIf(hostOnly)('wasserstein with the network simplex', () => {
  it('matches POT ot.emd2 on larger unequal, weighted, zero-weight and duplicated cases (fixtures)', () => {
    for (const c of fixtures.cases) {
      const r = wasserstein(c.x, c.y, {
        p: c.p,
        ...(c.weightsX ? { weightsX: c.weightsX } : {}),
        ...(c.weightsY ? { weightsY: c.weightsY } : {}),
      });
      expect(r.solver, c.name).toBe('network');
      // POT's emd2 is exact in Float64 too; both sum a few hundred products.
      expect(relative(r.cost, c.emd2), c.name).toBeLessThan(1e-9);
      expect(r.plan.kind === 'sparse' && r.plan.rows.length <= c.x.length + c.y.length - 1, c.name).toBe(true);
    }
  });

  it('is the auto solver for unequal sizes and for weights; weights are validated with a clear error', () => {
    const x = [[0, 0], [1, 0], [0, 1]];
    const y = [[0, 0], [2, 2]];
    expect(wasserstein(x, y).solver).toBe('network');
    expect(wasserstein(x, x, { weightsX: [1, 2, 3] }).solver).toBe('network');
    expect(wasserstein(x, x).solver).toBe('assignment');
    // Unnormalised weights are rescaled to sum 1 (same result as normalised ones).
    expect(wasserstein(x, y, { weightsY: [2, 6] }).cost).toBeCloseTo(wasserstein(x, y, { weightsY: [0.25, 0.75] }).cost, 14);
    expect(() => wasserstein(x, y, { weightsY: [0, 0] })).toThrow(/weightsY must have a positive sum/);
    expect(() => wasserstein(x, y, { weightsX: [1, -1, 1] })).toThrow(/weightsX\[1\] must be a finite number ≥ 0, got -1/);
  });
});
