// Exact potentials of a spanning tree: π_root = 0 and every tree arc has reduced cost
// c + π_s − π_t = 0, set in preorder (a parent before its children). Recomputing them removes the
// drift of the incremental updates made by pivots.
import type { CostRows } from './cost-rows.js';
import { isUpArc, treeArcCost, type SpanningTree } from './spanning-tree.js';

/** An arc enters only if its reduced cost is below −PRICING_TOLERANCE · (scale of costs and potentials). */
export const PRICING_TOLERANCE = 1e-13;

/** Sets `tree.pi` from the tree arcs; returns the pricing tolerance for the new scale max(M, max |π|). */
export function recomputePotentials(tree: SpanningTree, costs: CostRows): number {
  const { root, pi, parent, thread } = tree;
  pi[root] = 0;
  let scale = tree.big;
  for (let u = thread[root]!; u !== root; u = thread[u]!) {
    const c = treeArcCost(tree, costs, u);
    const value = isUpArc(tree, u) ? pi[parent[u]!]! - c : pi[parent[u]!]! + c;
    pi[u] = value;
    if (Math.abs(value) > scale) scale = Math.abs(value);
  }
  return PRICING_TOLERANCE * scale;
}
