import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { pointCostRows } from './cost-rows.js';
import { BlockPricing } from './block-pricing.js';
import { artificialArcCost, initialSpanningTree } from './initial-spanning-tree.js';
import { SimplexPivot } from './simplex-pivot.js';
import { PRICING_TOLERANCE, recomputePotentials } from './tree-potentials.js';
import type { SpanningTree } from './spanning-tree.js';

// Host-only Float64 code: nothing here touches tfjs, so one backend suffices.
const hostOnly = process.env.PFM_BACKEND === 'wasm';

/** Thread, parent, subtree sizes and last successors describe one and the same rooted tree. */
function expectConsistent(tree: SpanningTree): void {
  const { root, parent, thread, revThread, succNum, lastSucc } = tree;
  const N = root + 1;
  const order: number[] = [];
  let u = root;
  for (let k = 0; k < N; k++, u = thread[u]!) {
    order.push(u);
    expect(revThread[thread[u]!]).toBe(u);
  }
  expect(u).toBe(root); // one cycle through every node
  expect(new Set(order).size).toBe(N);
  const position = new Int32Array(N);
  order.forEach((v, k) => (position[v] = k));
  for (const v of order) {
    // v's subtree is the run of succNum[v] nodes from v in preorder, ending at lastSucc[v].
    const end = position[v]! + succNum[v]! - 1;
    expect(order[end]).toBe(lastSucc[v]);
    for (let k = position[v]! + 1; k <= end; k++) {
      let w = order[k]!;
      while (w !== v && w !== root) w = parent[w]!;
      expect(w).toBe(v);
    }
  }
}

describe.skipIf(hostOnly)('network simplex steps', () => {
  it('each pivot keeps the tree consistent and its incrementally updated potentials exact', () => {
    const rng = createRng(4);
    const n = 7;
    const m = 5;
    const x = { n, d: 2, data: Float64Array.from(rng.normalArray(n * 2)) };
    const y = { n: m, d: 2, data: Float64Array.from(rng.normalArray(m * 2)) };
    const costs = pointCostRows(x, y, 2);
    const a = new Float64Array(n).fill(1 / n);
    const b = new Float64Array(m).fill(1 / m);
    const scratch = new Float64Array(m);
    const segment = (i: number, from: number, to: number) => costs.segment!(i, from, to, scratch);
    const big = artificialArcCost(costs, segment, 'test');
    const tree = initialSpanningTree(a, b, big);
    expectConsistent(tree);
    // The starting potentials are already those of the tree.
    const start = Float64Array.from(tree.pi);
    recomputePotentials(tree, costs);
    expect(Array.from(tree.pi)).toEqual(Array.from(start));

    const pricing = new BlockPricing(costs, segment, tree.pi, 10);
    const pivoting = new SimplexPivot(tree);
    let pivots = 0;
    while (pricing.findEnteringArc(PRICING_TOLERANCE * big) && pivots < 200) {
      pivoting.pivot(pricing.enterRow, pricing.enterColumn, pricing.enterReduced);
      pivots++;
      expectConsistent(tree);
      const incremental = Float64Array.from(tree.pi);
      recomputePotentials(tree, costs);
      for (let u = 0; u < incremental.length; u++) expect(Math.abs(incremental[u]! - tree.pi[u]!)).toBeLessThan(1e-9 * big);
    }
    expect(pivots).toBeGreaterThan(n); // every row had to leave the root at least once
    expect(pivots).toBeLessThan(200);
    // Optimal: no real arc (i, j) has a negative reduced cost C_ij + π_i − π_j.
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) expect(costs.at(i, j) + tree.pi[i]! - tree.pi[n + j]!).toBeGreaterThan(-1e-9 * big);
  });
});
