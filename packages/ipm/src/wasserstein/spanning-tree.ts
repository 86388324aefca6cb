// The network simplex's basis: a spanning tree of the bipartite graph rows → columns plus an
// artificial root, stored with parent, preorder thread and subtree sizes (Ahuja, Magnanti & Orlin
// 1993, §11.5) so that a pivot updates it in time proportional to the part that moves.
import type { CostRows } from './cost-rows.js';

/**
 * A spanning tree over the nodes rows 0..n−1, columns n..n+m−1 and the root n+m; every array is
 * indexed by node and describes the node and the arc to its parent.
 */
export interface SpanningTree {
  readonly n: number;
  readonly m: number;
  /** The artificial root, n + m. */
  readonly root: number;
  /** Cost M of every artificial arc (node ↔ root). */
  readonly big: number;
  /** Parent node (−1 for the root). */
  readonly parent: Int32Array;
  /** Preorder successor (circular through the root). */
  readonly thread: Int32Array;
  /** Preorder predecessor. */
  readonly revThread: Int32Array;
  /** Subtree sizes. */
  readonly succNum: Int32Array;
  /** Last node of the subtree in preorder. */
  readonly lastSucc: Int32Array;
  /** Flow on the arc between a node and its parent. */
  readonly flow: Float64Array;
  /** Potentials π: the reduced cost of arc s → t is c + π_s − π_t (0 on the tree). */
  readonly pi: Float64Array;
  /** 1: the node's artificial arc is node → root; 0: root → node. */
  readonly artificialUp: Uint8Array;
}

/**
 * True when the arc between `u` and its parent points up (u → parent): rows under columns and
 * artificial arcs i → root; down otherwise.
 */
export function isUpArc(tree: SpanningTree, u: number): boolean {
  return tree.parent[u] === tree.root ? tree.artificialUp[u] === 1 : u < tree.n;
}

/** Cost of the arc between `u` and its parent: C_ij for a real arc, M for an artificial one. */
export function treeArcCost(tree: SpanningTree, costs: CostRows, u: number): number {
  const w = tree.parent[u]!;
  if (w === tree.root) return tree.big;
  return u < tree.n ? costs.at(u, w - tree.n) : costs.at(w, u - tree.n);
}
