// Uniform weights 1/n and 1/m with L = lcm(n, m): splitting x_i into L/n copies and y_j into L/m
// copies of mass 1/L turns the transport problem into an L×L assignment with the same optimum
// (an optimal vertex of the Birkhoff polytope is a permutation). Copies have identical cost rows, so
// averaging the assignment duals over copies gives optimal duals of the original problem.
import type { CostRows } from './cost-rows.js';
import { solveAssignment } from './solve-assignment.js';
import type { TransportSolution } from './solve-transport.js';

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** lcm(n, m), the size of the replicated assignment problem. */
export function replicatedSize(n: number, m: number): number {
  return (n / gcd(n, m)) * m;
}

/**
 * Exact transport between n and m points with uniform weights, solved as an L×L assignment
 * (L = lcm(n, m)) on replicated cost rows. Returns the aggregated plan and averaged potentials.
 * Source: Peyré & Cuturi 2019, "Computational Optimal Transport", Prop. 2.1 and §3.
 */
export function replicatedAssignment(costs: CostRows): TransportSolution {
  const { n, m } = costs;
  const L = replicatedSize(n, m);
  const rx = L / n;
  const ry = L / m;
  const rowScratch = new Float64Array(m);
  const expanded: CostRows = {
    n: L,
    m: L,
    row(r, scratch) {
      const base = costs.row(Math.floor(r / rx), rowScratch);
      for (let c = 0; c < L; c++) scratch[c] = base[Math.floor(c / ry)]!;
      return scratch;
    },
    at: (r, c) => costs.at(Math.floor(r / rx), Math.floor(c / ry)),
  };
  const s = solveAssignment(expanded);
  const mass = new Map<number, number>();
  s.assignment.forEach((c, r) => {
    const key = Math.floor(r / rx) * m + Math.floor(c / ry);
    mass.set(key, (mass.get(key) ?? 0) + 1 / L);
  });
  const keys = [...mass.keys()].sort((a, b) => a - b);
  const u = new Float64Array(n);
  const v = new Float64Array(m);
  s.rowPotentials.forEach((value, r) => (u[Math.floor(r / rx)] = u[Math.floor(r / rx)]! + value / rx));
  s.columnPotentials.forEach((value, c) => (v[Math.floor(c / ry)] = v[Math.floor(c / ry)]! + value / ry));
  return {
    rows: Int32Array.from(keys, (k) => Math.floor(k / m)),
    cols: Int32Array.from(keys, (k) => k % m),
    mass: Float64Array.from(keys, (k) => mass.get(k)!),
    cost: s.cost / L,
    rowPotentials: u,
    columnPotentials: v,
    augmentations: 0,
  };
}
