// Reading the answer off an optimal spanning tree: the plan is the flow on the real tree arcs, the
// dual potentials come from π with the big-M offset removed.
import type { CostRows } from './cost-rows.js';
import type { SpanningTree } from './spanning-tree.js';
import type { TransportSolution } from './solve-transport.js';

/** Tree flows at or below this (total mass 1) are left out of the returned plan. */
const MASS_EPSILON = 1e-15;

/**
 * The plan (real tree arcs with flow > 1e-15), its cost Σ π_ij C_ij and potentials u_i = −π_i − s,
 * v_j = π_j + s with s chosen so that Σ a_i u_i = Σ b_j v_j. Throws when mass is left on an
 * artificial arc (then a and b have different totals).
 */
export function readTransportPlan(tree: SpanningTree, costs: CostRows, a: Float64Array, b: Float64Array): TransportSolution {
  const { n, m, root, parent, flow, pi } = tree;
  const piColumns = pi.subarray(n, n + m);
  let artificial = 0;
  const rows: number[] = [];
  const cols: number[] = [];
  const mass: number[] = [];
  let cost = 0;
  for (let u = 0; u < root; u++) {
    const w = parent[u]!;
    const f = flow[u]!;
    if (w === root) {
      artificial += f;
      continue;
    }
    if (f <= MASS_EPSILON) continue;
    const i = u < n ? u : w;
    const j = u < n ? w - n : u - n;
    rows.push(i);
    cols.push(j);
    mass.push(f);
    cost += f * costs.at(i, j);
  }
  if (artificial > 1e-9) {
    throw new Error(`solveNetworkSimplex: ${artificial} of the mass found no partner (the weights must have equal totals)`);
  }
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) sa += a[i]! * pi[i]!;
  for (let j = 0; j < m; j++) sb += b[j]! * piColumns[j]!;
  const shift = -(sa + sb) / 2;
  const u = Float64Array.from({ length: n }, (_, i) => -pi[i]! - shift);
  const v = Float64Array.from({ length: m }, (_, j) => piColumns[j]! + shift);
  return {
    rows: Int32Array.from(rows),
    cols: Int32Array.from(cols),
    mass: Float64Array.from(mass),
    cost,
    rowPotentials: u,
    columnPotentials: v,
    augmentations: 0,
  };
}
