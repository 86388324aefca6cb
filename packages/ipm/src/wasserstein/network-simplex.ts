// Exact discrete optimal transport min_π Σ π_ij C_ij, π1 = a, πᵀ1 = b, by the primal network simplex
// on the bipartite graph rows → columns plus an artificial root (big-M start), with a strongly
// feasible spanning tree (Cunningham 1976) and block-search pricing (Ahuja, Magnanti & Orlin 1993,
// §11; Grigoriadis 1986; as in LEMON's NetworkSimplex and POT's ot.emd). Dual: u_i + v_j ≤ C_ij.
import type { CostRows } from './cost-rows.js';
import type { TransportSolution } from './solve-transport.js';

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

/** Tree flows at or below this (total mass 1) are left out of the returned plan. */
const MASS_EPSILON = 1e-15;
/** An arc enters only if its reduced cost is below −TOLERANCE · (scale of costs and potentials). */
const TOLERANCE = 1e-13;

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
  const arcs = n * m;
  const blockSize = Math.max(10, Math.ceil(options.blockSize ?? Math.sqrt(arcs)));
  const rowBuffer = new Float64Array(m);
  const segment: (i: number, from: number, to: number) => Float64Array = costs.segment
    ? (i, from, to) => costs.segment!(i, from, to, rowBuffer)
    : (i, from, to) => costs.row(i, rowBuffer).subarray(from, to);

  // Nodes: rows 0..n−1 (supply a_i), columns n..n+m−1 (demand b_j), root n+m. Arc i → j costs C_ij;
  // each node has one artificial arc to or from the root costing M. M > (max C − min C)/2 makes any
  // flow through the root dearer than a direct arc, so an optimal tree carries none.
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const c = segment(i, 0, m);
    for (let j = 0; j < m; j++) {
      const v = Math.abs(c[j]!);
      if (v > maxAbs) maxAbs = v;
      else if (!(v >= 0)) throw new RangeError(`solveNetworkSimplex: cost[${i}][${j}] = ${c[j]} is not finite`);
    }
  }
  if (!Number.isFinite(maxAbs)) throw new RangeError('solveNetworkSimplex: the costs must be finite');
  const big = maxAbs > 0 ? 2 * maxAbs : 1;

  const N = n + m + 1;
  const root = n + m;
  const parent = new Int32Array(N);
  const thread = new Int32Array(N); // preorder successor (circular through the root)
  const revThread = new Int32Array(N);
  const succNum = new Int32Array(N); // subtree sizes
  const lastSucc = new Int32Array(N); // last node of the subtree in preorder
  const flow = new Float64Array(N); // flow on the arc between a node and its parent
  const pi = new Float64Array(N); // reduced cost of arc s → t: c + π_s − π_t (0 on the tree)
  const artificialUp = new Uint8Array(N); // 1: the artificial arc is node → root, 0: root → node
  const piColumns = pi.subarray(n, n + m);

  // Start: every node hangs from the root. Rows with mass send it up (arc i → root); empty rows and
  // all columns get arcs root → node, so zero-flow arcs point away from the root (strongly feasible).
  for (let u = 0; u < root; u++) {
    parent[u] = root;
    thread[u] = u + 1;
    revThread[u] = u - 1;
    succNum[u] = 1;
    lastSucc[u] = u;
    if (u < n && a[u]! > 0) {
      artificialUp[u] = 1;
      flow[u] = a[u]!;
      pi[u] = -big;
    } else {
      flow[u] = u < n ? 0 : b[u - n]!;
      pi[u] = big;
    }
  }
  parent[root] = -1;
  thread[root] = 0;
  revThread[0] = root;
  thread[root - 1] = root;
  revThread[root] = root - 1;
  succNum[root] = N;
  lastSucc[root] = root - 1;

  // The arc between u and its parent points up (u → parent) for rows under columns and for
  // artificial arcs i → root; down otherwise.
  const isUp = (u: number) => (parent[u] === root ? artificialUp[u] === 1 : u < n);
  const treeCost = (u: number) => {
    const w = parent[u]!;
    if (w === root) return big;
    return u < n ? costs.at(u, w - n) : costs.at(w, u - n);
  };

  // Exact potentials from the tree (preorder: a parent before its children), removing the drift of
  // the incremental updates; also refreshes the pricing tolerance.
  let tolerance = TOLERANCE * big;
  const recomputePotentials = () => {
    pi[root] = 0;
    let scale = big;
    for (let u = thread[root]!; u !== root; u = thread[u]!) {
      const c = treeCost(u);
      const value = isUp(u) ? pi[parent[u]!]! - c : pi[parent[u]!]! + c;
      pi[u] = value;
      if (Math.abs(value) > scale) scale = Math.abs(value);
    }
    tolerance = TOLERANCE * scale;
  };

  // Block search: scan arcs (row-major) from where the last search stopped; after each block of
  // `blockSize` arcs, the most negative reduced cost seen so far enters, if any.
  let nextRow = 0;
  let nextColumn = 0;
  let enterRow = -1;
  let enterColumn = -1;
  let enterReduced = 0;
  const priceSegment = costs.priceSegment?.bind(costs);
  const scan = new Float64Array(2);
  const findEnteringArc = (): boolean => {
    let best = -tolerance;
    let bestRow = -1;
    let bestColumn = -1;
    let count = blockSize;
    let scanned = 0;
    let i = nextRow;
    let j0 = nextColumn;
    while (scanned < arcs) {
      const j1 = Math.min(m, j0 + count, j0 + arcs - scanned);
      if (priceSegment) {
        scan[0] = -1;
        priceSegment(i, j0, j1, pi[i]!, piColumns, best, scan);
        if (scan[0]! >= 0) {
          best = scan[1]!;
          bestRow = i;
          bestColumn = scan[0]!;
        }
      } else {
        const c = segment(i, j0, j1);
        const piRow = pi[i]!;
        for (let j = j0; j < j1; j++) {
          const reduced = c[j - j0]! + piRow - piColumns[j]!;
          if (reduced < best) {
            best = reduced;
            bestRow = i;
            bestColumn = j;
          }
        }
      }
      const len = j1 - j0;
      scanned += len;
      count -= len;
      j0 = j1;
      if (j0 === m) {
        j0 = 0;
        i = i + 1 === n ? 0 : i + 1;
      }
      if (count === 0) {
        if (bestRow >= 0) break;
        count = blockSize;
      }
    }
    nextRow = i;
    nextColumn = j0;
    enterRow = bestRow;
    enterColumn = bestColumn;
    enterReduced = best;
    return bestRow >= 0;
  };

  const stem = new Int32Array(N);
  const pieceStart = new Int32Array(2 * N);
  const pieceEnd = new Int32Array(2 * N);
  const pivot = () => {
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
    // of the entering arc (strict on first's side, non-strict on second's) keeps the tree strongly
    // feasible, which rules out cycling on degenerate pivots.
    let delta = Infinity;
    let out = -1;
    let side = 0;
    for (u = first; u !== join; u = parent[u]!) {
      if (isUp(u) && flow[u]! < delta) {
        delta = flow[u]!;
        out = u;
        side = 1;
      }
    }
    for (u = second; u !== join; u = parent[u]!) {
      if (!isUp(u) && flow[u]! <= delta) {
        delta = flow[u]!;
        out = u;
        side = 2;
      }
    }
    if (out < 0) throw new Error('solveNetworkSimplex: unbounded cycle (the costs are inconsistent)');
    if (delta > 0) {
      for (u = first; u !== join; u = parent[u]!) flow[u] = isUp(u) ? flow[u]! - delta : flow[u]! + delta;
      for (u = second; u !== join; u = parent[u]!) flow[u] = isUp(u) ? flow[u]! + delta : flow[u]! - delta;
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
  };

  let pivots = 0;
  let sinceExact = 0;
  for (;;) {
    if (!findEnteringArc()) {
      if (sinceExact === 0) break; // optimal for exact tree potentials
      recomputePotentials();
      sinceExact = 0;
      continue;
    }
    if (parent[enterRow] === n + enterColumn || parent[n + enterColumn] === enterRow) {
      // A tree arc priced below the tolerance: only possible through drift of the potentials.
      if (sinceExact === 0) throw new Error('solveNetworkSimplex: a tree arc has a negative reduced cost (numerical breakdown)');
      recomputePotentials();
      sinceExact = 0;
      continue;
    }
    pivot();
    pivots++;
    if (++sinceExact >= N) {
      recomputePotentials();
      sinceExact = 0;
    }
  }

  // Plan: the real tree arcs with flow; any flow left on an artificial arc means a ≠ b in total.
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
  // u_i = −π_i, v_j = π_j, shifted by a constant so that Σ a_i u_i = Σ b_j v_j (removes the big-M offset).
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
    pivots,
  };
}
