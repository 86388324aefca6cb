// Exact discrete optimal transport min_π Σ π_ij C_ij, π1 = a, πᵀ1 = b, by the primal network simplex
// on the bipartite graph rows → columns plus an artificial root (big-M start), with a strongly
// feasible spanning tree (Cunningham 1976) and block-search pricing (Ahuja, Magnanti & Orlin 1993,
// §11; Grigoriadis 1986; as in LEMON's NetworkSimplex and POT's ot.emd). Dual: u_i + v_j ≤ C_ij.
import type { CostRows } from './cost-rows.js';
import type { TransportSolution } from './solve-transport.js';
import { artificialArcCost, initialSpanningTree } from './initial-spanning-tree.js';
import { PRICING_TOLERANCE, recomputePotentials } from './tree-potentials.js';
import { BlockPricing } from './block-pricing.js';
import { SimplexPivot } from './simplex-pivot.js';
import { readTransportPlan } from './transport-plan-read-out.js';

/** The optimal plan and potentials of {@link solveNetworkSimplex}, with its pivot count. */
export interface NetworkSimplexSolution extends TransportSolution {
  /** Number of simplex pivots (entering arcs). */
  readonly pivots: number;
}

/** Options of {@link solveNetworkSimplex}. */
export interface NetworkSimplexOptions {
  /** Arcs priced per block before the best one enters. Default max(10, ⌈√(n·m)⌉). */
  blockSize?: number;
}

/**
 * Solves the transport problem between weights a `[n]` and b `[m]` (each ≥ 0, summing to 1) for
 * costs read through `costs` (`segment` if present, else whole rows). Memory O(n + m): the costs
 * are never stored here (a cached matrix inside `costs` is the caller's choice). The plan has at
 * most n + m − 1 nonzeros (the real arcs of the final spanning tree).
 * Source: Ahuja, Magnanti & Orlin 1993, "Network Flows", §11.5 (network simplex, strongly feasible
 * trees, thread indices); Kovács 2015, "Minimum-cost flow algorithms: an experimental evaluation".
 */
export function solveNetworkSimplex(
  costs: CostRows,
  a: Float64Array,
  b: Float64Array,
  options: NetworkSimplexOptions = {},
): NetworkSimplexSolution {
  const { n, m } = costs;
  if (a.length !== n || b.length !== m) {
    throw new RangeError(`solveNetworkSimplex: weights have lengths ${a.length} and ${b.length}, expected ${n} and ${m}`);
  }
  const blockSize = Math.max(10, Math.ceil(options.blockSize ?? Math.sqrt(n * m)));
  const rowBuffer = new Float64Array(m);
  const segment: (i: number, from: number, to: number) => Float64Array = costs.segment
    ? (i, from, to) => costs.segment!(i, from, to, rowBuffer)
    : (i, from, to) => costs.row(i, rowBuffer).subarray(from, to);

  const big = artificialArcCost(costs, segment, 'solveNetworkSimplex');
  const tree = initialSpanningTree(a, b, big);
  const pricing = new BlockPricing(costs, segment, tree.pi, blockSize);
  const pivoting = new SimplexPivot(tree);
  const nodes = tree.root + 1;
  const { parent } = tree;

  // Potentials are updated incrementally by pivots and recomputed exactly every `nodes` pivots,
  // and before optimality is declared or a tree arc would enter (both only through drift).
  let tolerance = PRICING_TOLERANCE * big;
  let pivots = 0;
  let sinceExact = 0;
  for (;;) {
    if (!pricing.findEnteringArc(tolerance)) {
      if (sinceExact === 0) break; // optimal for exact tree potentials
      tolerance = recomputePotentials(tree, costs);
      sinceExact = 0;
      continue;
    }
    const { enterRow, enterColumn } = pricing;
    if (parent[enterRow] === n + enterColumn || parent[n + enterColumn] === enterRow) {
      // A tree arc priced below the tolerance: only possible through drift of the potentials.
      if (sinceExact === 0) throw new Error('solveNetworkSimplex: a tree arc has a negative reduced cost (numerical breakdown)');
      tolerance = recomputePotentials(tree, costs);
      sinceExact = 0;
      continue;
    }
    pivoting.pivot(enterRow, enterColumn, pricing.enterReduced);
    pivots++;
    if (++sinceExact >= nodes) {
      tolerance = recomputePotentials(tree, costs);
      sinceExact = 0;
    }
  }
  return { ...readTransportPlan(tree, costs, a, b), pivots };
}
