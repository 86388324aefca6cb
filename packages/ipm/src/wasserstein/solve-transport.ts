// Exact discrete optimal transport min_π Σ π_ij C_ij, π1 = a, πᵀ1 = b, for any sizes and weights,
// by successive shortest paths (primal–dual min-cost flow; Ahuja, Magnanti & Orlin 1993, §9.7) on
// source → rows → columns → sink with Dijkstra on reduced costs C_ij + p_i − p_j ≥ 0.
// Each augmentation saturates a supply, a demand or a reverse edge; the potentials are the dual.
import type { CostRows } from './cost-rows.js';

/** An optimal transport plan (sparse) with its dual potentials. */
export interface TransportSolution {
  /** Nonzero entries of π: rows[k], cols[k], mass[k]. */
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly mass: Float64Array;
  /** Σ π_ij C_ij. */
  readonly cost: number;
  /** u, v with u_i + v_j ≤ C_ij, equality where π_ij > 0, and Σ a_i u_i + Σ b_j v_j = cost. */
  readonly rowPotentials: Float64Array;
  readonly columnPotentials: Float64Array;
  /** Number of shortest-path augmentations. */
  readonly augmentations: number;
}

/** Masses below this (total mass 1) are treated as zero. */
const MASS_EPSILON = 1e-13;

/**
 * Solves the transport problem between weights a `[n]` and b `[m]` (each summing to 1) with costs
 * read row by row. Worst case O((n + m)·(n·m + (n + m)²)) time, O(n·m) only for the cached costs.
 * Source: Ahuja, Magnanti & Orlin 1993, "Network Flows", §9.7 (successive shortest paths).
 */
export function solveTransport(costs: CostRows, a: Float64Array, b: Float64Array): TransportSolution {
  const { n, m } = costs;
  const supply = Float64Array.from(a);
  const demand = Float64Array.from(b);
  const pr = new Float64Array(n); // row potentials p_i
  const pc = new Float64Array(m); // column potentials p_j
  let pT = 0; // sink potential (the source's stays 0)
  const flows: Array<Map<number, number>> = Array.from({ length: m }, () => new Map());
  const distR = new Float64Array(n);
  const distC = new Float64Array(m);
  const doneR = new Uint8Array(n);
  const doneC = new Uint8Array(m);
  const predC = new Int32Array(m); // row that reached column j (forward edge)
  const predR = new Int32Array(n); // column that reached row i (reverse edge), −1 from the source
  const scratch = new Float64Array(m);
  let augmentations = 0;
  const some = (arr: Float64Array) => arr.some((v) => v > MASS_EPSILON);

  while (some(supply) && some(demand)) {
    distR.fill(Infinity);
    distC.fill(Infinity);
    doneR.fill(0);
    doneC.fill(0);
    for (let i = 0; i < n; i++) {
      if (supply[i]! > MASS_EPSILON) {
        distR[i] = Math.max(0, -pr[i]!);
        predR[i] = -1;
      }
    }
    let distT = Infinity;
    let predT = -1;
    for (;;) {
      // Next node: the unfinished row or column with the smallest label, unless the sink is smaller.
      let best = distT;
      let bestRow = -1;
      let bestCol = -1;
      for (let i = 0; i < n; i++) {
        if (!doneR[i] && distR[i]! < best) {
          best = distR[i]!;
          bestRow = i;
        }
      }
      for (let j = 0; j < m; j++) {
        if (!doneC[j] && distC[j]! < best) {
          best = distC[j]!;
          bestRow = -1;
          bestCol = j;
        }
      }
      if (bestRow < 0 && bestCol < 0) break; // the sink is next (or nothing is reachable)
      if (bestRow >= 0) {
        const i = bestRow;
        doneR[i] = 1;
        const c = costs.row(i, scratch);
        const base = best + pr[i]!;
        for (let j = 0; j < m; j++) {
          if (doneC[j]) continue;
          const nd = base + c[j]! - pc[j]!;
          if (nd < distC[j]!) {
            distC[j] = nd;
            predC[j] = i;
          }
        }
      } else {
        const j = bestCol;
        doneC[j] = 1;
        if (demand[j]! > MASS_EPSILON) {
          const nd = best + Math.max(0, pc[j]! - pT);
          if (nd < distT) {
            distT = nd;
            predT = j;
          }
        }
        for (const [i, f] of flows[j]!) {
          if (doneR[i] || f <= MASS_EPSILON) continue;
          const nd = best + Math.max(0, pc[j]! - pr[i]! - costs.at(i, j));
          if (nd < distR[i]!) {
            distR[i] = nd;
            predR[i] = j;
          }
        }
      }
    }
    if (predT < 0 || !Number.isFinite(distT)) {
      throw new Error('solveTransport: no augmenting path although supply remains (inconsistent masses)');
    }
    // Bottleneck along sink ← j_k ← i_k ← j_{k−1} ← … ← i_0 ← source.
    let delta = demand[predT]!;
    let j = predT;
    for (;;) {
      const i = predC[j]!;
      const back = predR[i]!;
      if (back < 0) {
        delta = Math.min(delta, supply[i]!);
        break;
      }
      delta = Math.min(delta, flows[back]!.get(i) ?? 0);
      j = back;
    }
    j = predT;
    demand[predT] = demand[predT]! - delta;
    for (;;) {
      const i = predC[j]!;
      const fw = flows[j]!;
      fw.set(i, (fw.get(i) ?? 0) + delta);
      const back = predR[i]!;
      if (back < 0) {
        supply[i] = supply[i]! - delta;
        break;
      }
      const fb = flows[back]!;
      const left = (fb.get(i) ?? 0) - delta;
      if (left <= MASS_EPSILON) fb.delete(i);
      else fb.set(i, left);
      j = back;
    }
    augmentations++;
    // Potentials: p += min(dist, dist_T) keeps every residual reduced cost ≥ 0.
    for (let i = 0; i < n; i++) pr[i] = pr[i]! + Math.min(distR[i]!, distT);
    for (let k = 0; k < m; k++) pc[k] = pc[k]! + Math.min(distC[k]!, distT);
    pT += distT;
  }

  const rows: number[] = [];
  const cols: number[] = [];
  const mass: number[] = [];
  let cost = 0;
  flows.forEach((fj, j) => {
    for (const [i, f] of fj) {
      if (f <= MASS_EPSILON) continue;
      rows.push(i);
      cols.push(j);
      mass.push(f);
      cost += f * costs.at(i, j);
    }
  });
  const u = Float64Array.from(pr, (p) => -p);
  return {
    rows: Int32Array.from(rows),
    cols: Int32Array.from(cols),
    mass: Float64Array.from(mass),
    cost,
    rowPotentials: u,
    columnPotentials: Float64Array.from(pc),
    augmentations,
  };
}
