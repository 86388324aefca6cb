import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { matrixCostRows } from './cost-rows.js';
import { linearAssignment } from './linear-assignment.js';
import { solveAssignment } from './solve-assignment.js';
import { solveTransport } from './solve-transport.js';

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
}

function bruteForce(c: number[][]): number {
  let best = Infinity;
  for (const perm of permutations(c.length)) best = Math.min(best, perm.reduce((s, j, i) => s + c[i]![j]!, 0));
  return best;
}

function randomMatrix(seed: number, n: number, m: number, integers: boolean): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: m }, () => (integers ? rng.int(5) : rng.next() * 10)));
}

// Dual feasibility u_i + v_j ≤ C_ij everywhere and complementary slackness (equality) on the plan.
function expectSlackness(c: number[][], u: Float64Array, v: Float64Array, pairs: Array<[number, number]>): void {
  const scale = Math.max(1, ...c.flat().map(Math.abs));
  c.forEach((row, i) => row.forEach((cij, j) => expect(u[i]! + v[j]!).toBeLessThanOrEqual(cij + 1e-9 * scale)));
  for (const [i, j] of pairs) expect(Math.abs(u[i]! + v[j]! - c[i]![j]!)).toBeLessThan(1e-9 * scale);
}

// Host-only Float64 solvers with array inputs: nothing here touches tfjs, so one backend suffices.
const hostOnly = process.env.PFM_BACKEND === 'wasm';

describe.skipIf(hostOnly)('linearAssignment (Jonker–Volgenant)', () => {
  it('matches brute force over all permutations for n ≤ 7, with ties, and its potentials certify optimality', () => {
    for (let n = 1; n <= 7; n++) {
      for (let trial = 0; trial < 6; trial++) {
        const c = randomMatrix(100 * n + trial, n, n, trial % 2 === 0);
        const s = linearAssignment(c);
        expect([...s.assignment].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        const best = bruteForce(c);
        expect(s.cost).toBeCloseTo(best, 9);
        expectSlackness(c, s.rowPotentials, s.columnPotentials, [...s.assignment].map((j, i) => [i, j]));
        // Strong duality: Σu + Σv = optimal cost.
        const dual = s.rowPotentials.reduce((a, b) => a + b, 0) + s.columnPotentials.reduce((a, b) => a + b, 0);
        expect(dual).toBeCloseTo(best, 8);
      }
    }
  });

  it('with the auction start also matches brute force for n ≤ 7', () => {
    for (let n = 2; n <= 7; n++) {
      for (let trial = 0; trial < 4; trial++) {
        const c = randomMatrix(500 + 10 * n + trial, n, n, trial % 2 === 0);
        const s = solveAssignment(matrixCostRows(c, 'test'), { start: 'auction' });
        expect(s.cost).toBeCloseTo(bruteForce(c), 9);
        expectSlackness(c, s.rowPotentials, s.columnPotentials, [...s.assignment].map((j, i) => [i, j]));
      }
    }
  });

  it('both starts reach the same optimum with optimal duals on larger instances (n = 120, ties and reals)', () => {
    for (const integers of [true, false]) {
      const c = randomMatrix(integers ? 7 : 8, 120, 120, integers);
      const rows = matrixCostRows(c, 'test');
      const byAuction = solveAssignment(rows, { start: 'auction' });
      const byReduction = solveAssignment(rows, { start: 'reduction' });
      expect(byAuction.cost).toBeCloseTo(byReduction.cost, 8);
      for (const s of [byAuction, byReduction]) {
        expectSlackness(c, s.rowPotentials, s.columnPotentials, [...s.assignment].map((j, i) => [i, j]));
        const dual = s.rowPotentials.reduce((a, b) => a + b, 0) + s.columnPotentials.reduce((a, b) => a + b, 0);
        expect(dual).toBeCloseTo(s.cost, 7);
      }
    }
  });

  it('rejects a non-square or non-finite matrix', () => {
    expect(() => linearAssignment([[1, 2]])).toThrow(/must be square, got 1×2/);
    expect(() => linearAssignment([[1, NaN], [0, 1]])).toThrow(/cost\[0\]\[1\] = NaN is not finite/);
  });
});

describe.skipIf(hostOnly)('solveTransport (successive shortest paths)', () => {
  it('equals the assignment of the replicated problem when sizes divide (3 vs 6 points)', () => {
    // Uniform 1/3 vs 1/6: duplicating each row twice gives a 6×6 assignment with the same optimum × 6.
    const c = randomMatrix(11, 3, 6, false);
    const t = solveTransport(matrixCostRows(c, 'test'), new Float64Array(3).fill(1 / 3), new Float64Array(6).fill(1 / 6));
    const replicated = [c[0]!, c[0]!, c[1]!, c[1]!, c[2]!, c[2]!];
    expect(t.cost).toBeCloseTo(linearAssignment(replicated).cost / 6, 10);
  });

  it('gives a feasible plan and potentials satisfying complementary slackness and strong duality', () => {
    for (const [n, m, seed] of [[4, 7, 1], [9, 5, 2], [12, 12, 3], [30, 17, 4]] as const) {
      const rng = createRng(seed);
      const c = randomMatrix(seed + 50, n, m, seed % 2 === 0);
      const a = Float64Array.from({ length: n }, () => 0.1 + rng.next());
      const b = Float64Array.from({ length: m }, () => 0.1 + rng.next());
      const sa = a.reduce((s, v) => s + v, 0);
      const sb = b.reduce((s, v) => s + v, 0);
      a.forEach((v, i) => (a[i] = v / sa));
      b.forEach((v, j) => (b[j] = v / sb));
      const t = solveTransport(matrixCostRows(c, 'test'), a, b);
      const rowSums = new Float64Array(n);
      const colSums = new Float64Array(m);
      t.rows.forEach((i, k) => {
        rowSums[i] = rowSums[i]! + t.mass[k]!;
        colSums[t.cols[k]!] = colSums[t.cols[k]!]! + t.mass[k]!;
      });
      rowSums.forEach((s, i) => expect(s).toBeCloseTo(a[i]!, 10));
      colSums.forEach((s, j) => expect(s).toBeCloseTo(b[j]!, 10));
      expectSlackness(c, t.rowPotentials, t.columnPotentials, [...t.rows].map((i, k) => [i, t.cols[k]!]));
      const dual =
        t.rowPotentials.reduce((s, u, i) => s + a[i]! * u, 0) + t.columnPotentials.reduce((s, v, j) => s + b[j]! * v, 0);
      expect(dual).toBeCloseTo(t.cost, 9);
    }
  });
});
