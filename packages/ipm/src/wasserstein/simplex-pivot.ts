// One network simplex pivot: the entering arc closes a cycle with the tree; flow δ is pushed round
// it, the blocking arc met last from the join (in the entering arc's direction) leaves, so the
// tree stays strongly feasible (Cunningham 1976, which rules out cycling on degenerate pivots);
// then the cut-off subtree is re-hung by the entering arc and its potentials shift (Ahuja,
// Magnanti & Orlin 1993, §11.5, thread and subtree-size updates).
import { isUpArc, type SpanningTree } from './spanning-tree.js';

/** Pivots a spanning tree in place, with work arrays sized once for the tree. */
export class SimplexPivot {
  private readonly stem: Int32Array;
  private readonly pieceStart: Int32Array;
  private readonly pieceEnd: Int32Array;

  constructor(private readonly tree: SpanningTree) {
    const N = tree.root + 1;
    this.stem = new Int32Array(N);
    this.pieceStart = new Int32Array(2 * N);
    this.pieceEnd = new Int32Array(2 * N);
  }

  /**
   * Brings arc row `enterRow` → column `enterColumn` (reduced cost `enterReduced` < 0, not a tree
   * arc) into the tree. Throws if the cycle has no blocking arc (inconsistent costs).
   */
  pivot(enterRow: number, enterColumn: number, enterReduced: number): void {
    const tree = this.tree;
    const { n, parent, thread, revThread, succNum, lastSucc, flow, pi } = tree;
    const { stem, pieceStart, pieceEnd } = this;
    // Cycle: the entering arc first → second, then the tree path second ⇝ join ⇝ first.
    const first = enterRow;
    const second = n + enterColumn;
    let u = first;
    let v = second;
    while (u !== v) {
      if (succNum[u]! < succNum[v]!) u = parent[u]!;
      else v = parent[v]!;
    }
    const join = u;
    // Leaving arc: the blocking arc met last going round the cycle from the join in the direction
    // of the entering arc (strict on first's side, non-strict on second's).
    let delta = Infinity;
    let out = -1;
    let side = 0;
    for (u = first; u !== join; u = parent[u]!) {
      if (isUpArc(tree, u) && flow[u]! < delta) {
        delta = flow[u]!;
        out = u;
        side = 1;
      }
    }
    for (u = second; u !== join; u = parent[u]!) {
      if (!isUpArc(tree, u) && flow[u]! <= delta) {
        delta = flow[u]!;
        out = u;
        side = 2;
      }
    }
    if (out < 0) throw new Error('solveNetworkSimplex: unbounded cycle (the costs are inconsistent)');
    if (delta > 0) {
      for (u = first; u !== join; u = parent[u]!) flow[u] = isUpArc(tree, u) ? flow[u]! - delta : flow[u]! + delta;
      for (u = second; u !== join; u = parent[u]!) flow[u] = isUpArc(tree, u) ? flow[u]! + delta : flow[u]! - delta;
    }
    const uIn = side === 1 ? first : second;
    const vIn = side === 1 ? second : first;

    // The subtree S of `out` is cut off and hung from vIn by the entering arc, re-rooted at uIn.
    const size = succNum[out]!;
    const last = lastSucc[out]!;
    let k = 0;
    stem[0] = uIn;
    for (u = uIn; u !== out; ) {
      u = parent[u]!;
      stem[++k] = u;
    }
    // New preorder of S: the old subtree of s_0, then for each stem node s_t its old subtree minus
    // that of s_{t−1} (the contiguous pieces [s_t, before s_{t−1}] and [after s_{t−1}'s subtree,
    // end of s_t's subtree]); each s_{t+1} becomes the last child of s_t.
    let pieces = 0;
    pieceStart[pieces] = uIn;
    pieceEnd[pieces++] = lastSucc[uIn]!;
    for (let t = 1; t <= k; t++) {
      const s = stem[t]!;
      const below = stem[t - 1]!;
      pieceStart[pieces] = s;
      pieceEnd[pieces++] = revThread[below]!;
      if (lastSucc[below] !== lastSucc[s]) {
        pieceStart[pieces] = thread[lastSucc[below]!]!;
        pieceEnd[pieces++] = lastSucc[s]!;
      }
    }
    // Cut S out of the thread; its old ancestors lose `size` nodes (up to the join, where it returns).
    const before = revThread[out]!;
    const after = thread[last]!;
    thread[before] = after;
    revThread[after] = before;
    const oldParent = parent[out]!;
    for (u = oldParent; u !== join; u = parent[u]!) succNum[u] = succNum[u]! - size;
    for (u = oldParent; u >= 0 && lastSucc[u] === last; u = parent[u]!) lastSucc[u] = before;
    // Chain the pieces and insert S right after vIn (as its first child).
    for (let q = 0; q + 1 < pieces; q++) {
      thread[pieceEnd[q]!] = pieceStart[q + 1]!;
      revThread[pieceStart[q + 1]!] = pieceEnd[q]!;
    }
    const newLast = pieceEnd[pieces - 1]!;
    const next = thread[vIn]!;
    thread[vIn] = uIn;
    revThread[uIn] = vIn;
    thread[newLast] = next;
    revThread[next] = newLast;
    for (u = vIn; u !== join; u = parent[u]!) succNum[u] = succNum[u]! + size;
    if (lastSucc[vIn] === vIn) {
      for (u = vIn; u >= 0 && lastSucc[u] === vIn; u = parent[u]!) lastSucc[u] = newLast;
    }
    // Reverse the stem: s_t's arc becomes the one that joined s_{t−1} to it.
    for (let t = k; t >= 1; t--) {
      const s = stem[t]!;
      const below = stem[t - 1]!;
      flow[s] = flow[below]!;
      parent[s] = below;
      succNum[s] = size - succNum[below]!;
      lastSucc[s] = newLast;
    }
    flow[uIn] = delta;
    parent[uIn] = vIn;
    succNum[uIn] = size;
    lastSucc[uIn] = newLast;
    // Potentials of S shift so that the entering arc has reduced cost 0.
    const sigma = uIn === first ? -enterReduced : enterReduced;
    u = uIn;
    for (let c = 0; c < size; c++) {
      pi[u] = pi[u]! + sigma;
      u = thread[u]!;
    }
  }
}
