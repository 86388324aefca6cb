// The big-M start of the network simplex: every node hangs from an artificial root by an arc of
// cost M > (max C − min C)/2, so any flow through the root is dearer than a direct arc and an
// optimal tree carries none (Ahuja, Magnanti & Orlin 1993, §11.5).
import type { CostRows } from './cost-rows.js';
import type { SpanningTree } from './spanning-tree.js';

/**
 * The artificial arc cost M = 2 max |C_ij| (1 if every cost is 0), reading the costs once through
 * `segment`. Throws a RangeError naming the first entry that is not finite.
 */
export function artificialArcCost(costs: CostRows, segment: (i: number, from: number, to: number) => Float64Array, where: string): number {
  const { n, m } = costs;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const c = segment(i, 0, m);
    for (let j = 0; j < m; j++) {
      const v = Math.abs(c[j]!);
      if (v > maxAbs) maxAbs = v;
      else if (!(v >= 0)) throw new RangeError(`${where}: cost[${i}][${j}] = ${c[j]} is not finite`);
    }
  }
  if (!Number.isFinite(maxAbs)) throw new RangeError(`${where}: the costs must be finite`);
  return maxAbs > 0 ? 2 * maxAbs : 1;
}

/**
 * The starting tree: every node a child of the root. Rows with mass send it up (arc i → root);
 * empty rows and all columns get arcs root → node, so zero-flow arcs point away from the root
 * (a strongly feasible tree, Cunningham 1976). Potentials are those of the tree (π_root = 0).
 */
export function initialSpanningTree(a: Float64Array, b: Float64Array, big: number): SpanningTree {
  const n = a.length;
  const m = b.length;
  const N = n + m + 1;
  const root = n + m;
  const tree: SpanningTree = {
    n,
    m,
    root,
    big,
    parent: new Int32Array(N),
    thread: new Int32Array(N),
    revThread: new Int32Array(N),
    succNum: new Int32Array(N),
    lastSucc: new Int32Array(N),
    flow: new Float64Array(N),
    pi: new Float64Array(N),
    artificialUp: new Uint8Array(N),
  };
  const { parent, thread, revThread, succNum, lastSucc, flow, pi, artificialUp } = tree;
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
  return tree;
}
