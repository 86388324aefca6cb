// Linear assignment min_σ Σ_i C_{i,σ(i)} by the shortest augmenting path method of Jonker &
// Volgenant (1987, "A shortest augmenting path algorithm for dense and sparse linear assignment
// problems", Computing 38): starting prices from JV's reductions (small n) or an ε-scaling auction
// (Bertsekas 1988; large n), then Dijkstra-like augmentation with column prices v, which is exact.
// Dual: u_i + v_j ≤ C_ij, equality on σ.
import type { CostRows } from './cost-rows.js';
import { bestTwoColumns } from './best-two-columns.js';

/** An optimal assignment with its dual potentials. */
export interface AssignmentSolution {
  /** σ: row i is assigned column `assignment[i]` (a permutation of 0..n−1). */
  readonly assignment: Int32Array;
  /** Σ_i C_{i,σ(i)}. */
  readonly cost: number;
  /** u: u_i + v_j ≤ C_ij for all i, j, with equality when j = σ(i). */
  readonly rowPotentials: Float64Array;
  /** v (column prices). */
  readonly columnPotentials: Float64Array;
}

/**
 * Solves a square assignment problem given by row access to an n×n cost matrix, in O(n) extra
 * memory (O(n³) worst-case time, much less on typical Euclidean instances). The starting prices
 * come from JV's reductions (n < 96) or from an ε-scaling auction (`start` overrides); either way
 * the augmentation phase ends exactly optimal.
 * Source: Jonker & Volgenant 1987, Computing 38(4):325–340.
 */
export function solveAssignment(costs: CostRows, options: { start?: 'auto' | 'auction' | 'reduction' } = {}): AssignmentSolution {
  const n = costs.n;
  if (costs.m !== n) throw new RangeError(`solveAssignment: the cost matrix must be square, got ${n}×${costs.m}`);
  const rowsol = new Int32Array(n).fill(-1);
  const colsol = new Int32Array(n).fill(-1);
  const v = new Float64Array(n);
  const scratch = new Float64Array(n);
  const scratch2 = new Float64Array(n);
  const free = new Int32Array(n);
  const start = options.start ?? 'auto';
  const auction = n > 1 && (start === 'auction' || (start === 'auto' && n >= AUCTION_THRESHOLD));
  const numFree = auction ? auctionStart(costs, rowsol, colsol, v, free) : reductionStart(costs, rowsol, colsol, v, free);

  // Augmentation: Dijkstra on reduced costs C_ij − v_j from each free row to a free column.
  const dist = new Float64Array(n);
  const pred = new Int32Array(n);
  const collist = new Int32Array(n);
  for (let f = 0; f < numFree; f++) {
    const freeRow = free[f]!;
    const c0 = costs.row(freeRow, scratch);
    for (let j = 0; j < n; j++) {
      dist[j] = c0[j]! - v[j]!;
      pred[j] = freeRow;
      collist[j] = j;
    }
    let low = 0; // collist[0, low): ready; [low, up): at the current minimum; [up, n): to do
    let up = 0;
    let last = -1;
    let min = 0;
    let endOfPath = -1;
    while (endOfPath < 0) {
      if (up === low) {
        last = low - 1;
        min = dist[collist[up++]!]!;
        for (let k = up; k < n; k++) {
          const j = collist[k]!;
          const h = dist[j]!;
          if (h <= min) {
            if (h < min) {
              up = low;
              min = h;
            }
            collist[k] = collist[up]!;
            collist[up++] = j;
          }
        }
        for (let k = low; k < up; k++) {
          if (colsol[collist[k]!]! < 0) {
            endOfPath = collist[k]!;
            break;
          }
        }
      }
      if (endOfPath < 0) {
        const j1 = collist[low++]!;
        const i = colsol[j1]!;
        const c = costs.row(i, scratch2);
        const h = c[j1]! - v[j1]! - min;
        for (let k = up; k < n; k++) {
          const j = collist[k]!;
          const v2 = c[j]! - v[j]! - h;
          if (v2 < dist[j]!) {
            pred[j] = i;
            if (v2 === min) {
              if (colsol[j]! < 0) {
                endOfPath = j;
                break;
              }
              collist[k] = collist[up]!;
              collist[up++] = j;
            }
            dist[j] = v2;
          }
        }
      }
    }
    for (let k = 0; k <= last; k++) {
      const j1 = collist[k]!;
      v[j1] = v[j1]! + dist[j1]! - min;
    }
    for (;;) {
      const i = pred[endOfPath]!;
      colsol[endOfPath] = i;
      const next = rowsol[i]!;
      rowsol[i] = endOfPath;
      endOfPath = next;
      if (i === freeRow) break;
    }
  }

  const u = new Float64Array(n);
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const j = rowsol[i]!;
    const cij = costs.at(i, j);
    u[i] = cij - v[j]!;
    cost += cij;
  }
  return { assignment: rowsol, cost, rowPotentials: u, columnPotentials: v };
}

/** JV's initialisation: column reduction, reduction transfer, two passes of augmenting row reduction. */
function reductionStart(costs: CostRows, rowsol: Int32Array, colsol: Int32Array, v: Float64Array, free: Int32Array): number {
  const n = costs.n;
  const scratch = new Float64Array(n);
  // 1. Column reduction: v_j = min_i C_ij; each column goes to its cheapest row if that row is free.
  const colMin = new Float64Array(n).fill(Infinity);
  const colArg = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = costs.row(i, scratch);
    for (let j = 0; j < n; j++) {
      if (c[j]! < colMin[j]!) {
        colMin[j] = c[j]!;
        colArg[j] = i;
      }
    }
  }
  const matches = new Int32Array(n);
  for (let j = n - 1; j >= 0; j--) {
    v[j] = colMin[j]!;
    const i = colArg[j]!;
    matches[i] = matches[i]! + 1;
    if (matches[i] === 1) {
      rowsol[i] = j;
      colsol[j] = i;
    } else if (v[j]! < v[rowsol[i]!]!) {
      const j1 = rowsol[i]!;
      rowsol[i] = j;
      colsol[j] = i;
      colsol[j1] = -1;
    } else {
      colsol[j] = -1;
    }
  }

  // 2. Reduction transfer: a row matched once gives its slack to its column.
  let numFree = 0;
  for (let i = 0; i < n; i++) {
    if (matches[i] === 0) {
      free[numFree++] = i;
    } else if (matches[i] === 1 && n > 1) {
      const j1 = rowsol[i]!;
      const c = costs.row(i, scratch);
      let min = Infinity;
      for (let j = 0; j < n; j++) {
        if (j !== j1) {
          const h = c[j]! - v[j]!;
          if (h < min) min = h;
        }
      }
      v[j1] = v[j1]! - min;
    }
  }

  // 3. Augmenting row reduction, twice: a free row takes its best column, lowering its price to
  // the second best; the evicted row is processed next (price fell) or later (tie).
  const negatedV = numFree > 0 ? Float64Array.from(v, (x) => -x) : v;
  const best = new Float64Array(4);
  for (let pass = 0; pass < 2 && numFree > 0; pass++) {
    let k = 0;
    const previous = numFree;
    numFree = 0;
    let steps = 0;
    const stepLimit = 8 * n + 64;
    while (k < previous) {
      if (++steps > stepLimit) {
        // Tiny price decrements can repeat for long; leave the rest to the augmentation phase.
        while (k < previous) free[numFree++] = free[k++]!;
        break;
      }
      const i = free[k++]!;
      // Reduced costs C_ij − v_j = C_ij + (−v_j): the same numbers, bit for bit.
      bestTwoColumns(costs.row(i, scratch), negatedV, best);
      let j1 = best[0]!;
      const umin = best[1]!;
      const usubmin = best[2]!;
      const j2 = best[3]!;
      let i0 = colsol[j1]!;
      if (umin < usubmin) {
        v[j1] = v[j1]! - (usubmin - umin);
        negatedV[j1] = -v[j1]!;
      } else if (i0 > -1 && j2 > -1) {
        j1 = j2;
        i0 = colsol[j2]!;
      }
      rowsol[i] = j1;
      colsol[j1] = i;
      if (i0 > -1) {
        rowsol[i0] = -1;
        if (umin < usubmin) free[--k] = i0;
        else free[numFree++] = i0;
      }
    }
  }

  return numFree;
}

/** From this size on, the ε-scaling auction gives the starting prices (JV's reductions stall on shifted clouds). */
const AUCTION_THRESHOLD = 96;

/** Final auction ε relative to the largest cost; JV's augmentation makes the result exact afterwards. */
const AUCTION_FINAL_EPSILON = 1e-5;
/** Ratio between successive ε of the auction. */
const AUCTION_EPSILON_FACTOR = 8;

/**
 * ε-scaling forward auction (Bertsekas 1988, "The auction algorithm: a distributed relaxation
 * method for the assignment problem", Ann. Oper. Res. 14) for min Σ C_{i,σ(i)}: an unassigned row
 * bids for its best column j₁ (min C_ij + p_j), raising p_j₁ by (second best − best) + ε. It ends
 * ε-optimal; rows whose column is not exactly their best under v = −p are then freed for JV's
 * augmentation, which keeps v and restores exact optimality.
 */
function auctionStart(costs: CostRows, rowsol: Int32Array, colsol: Int32Array, v: Float64Array, free: Int32Array): number {
  const n = costs.n;
  const scratch = new Float64Array(n);
  let scale = 0;
  const probes = Math.min(n, 32);
  for (let s = 0; s < probes; s++) {
    const c = costs.row(Math.floor((s * n) / probes), scratch);
    for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(c[j]!));
  }
  if (!(scale > 0)) return reductionStart(costs, rowsol, colsol, v, free);
  const price = new Float64Array(n);
  const stack = new Int32Array(n);
  const best = new Float64Array(4);
  const epsFinal = scale * AUCTION_FINAL_EPSILON;
  let eps = scale / AUCTION_EPSILON_FACTOR;
  for (;;) {
    colsol.fill(-1);
    rowsol.fill(-1);
    let top = 0;
    for (let i = n - 1; i >= 0; i--) stack[top++] = i;
    while (top > 0) {
      const i = stack[--top]!;
      bestTwo(costs, i, price, scratch, best);
      const j1 = best[0]!;
      const w1 = best[1]!;
      const w2 = best[2]!;
      price[j1] = price[j1]! + (w2 - w1) + eps;
      const previous = colsol[j1]!;
      if (previous >= 0) {
        rowsol[previous] = -1;
        stack[top++] = previous;
      }
      colsol[j1] = i;
      rowsol[i] = j1;
    }
    if (eps <= epsFinal) break;
    eps = Math.max(eps / AUCTION_EPSILON_FACTOR, epsFinal);
  }
  for (let j = 0; j < n; j++) v[j] = -price[j]!;
  let numFree = 0;
  for (let i = 0; i < n; i++) {
    const c = costs.row(i, scratch);
    let min = Infinity;
    for (let j = 0; j < n; j++) {
      const h = c[j]! - v[j]!;
      if (h < min) min = h;
    }
    const j = rowsol[i]!;
    if (c[j]! - v[j]! > min) {
      free[numFree++] = i;
      colsol[j] = -1;
      rowsol[i] = -1;
    }
  }
  return numFree;
}

/** best = [j₁, w₁, w₂, …]: the column minimising C_ij + shift_j, that minimum and the second smallest. */
function bestTwo(costs: CostRows, i: number, shift: Float64Array, scratch: Float64Array, best: Float64Array): void {
  if (costs.bestTwo) costs.bestTwo(i, shift, best);
  else bestTwoColumns(costs.row(i, scratch), shift, best);
}
