// Block search pricing (Grigoriadis 1986; as in LEMON's NetworkSimplex and POT's ot.emd): scan
// the arcs row-major from where the last search stopped; after each block of `blockSize` arcs the
// most negative reduced cost C_ij + π_i − π_j seen so far enters, if any.
import type { CostRows } from './cost-rows.js';

/** Finds entering arcs by block search; the chosen arc is left in `enterRow`, `enterColumn`, `enterReduced`. */
export class BlockPricing {
  /** Row of the entering arc (−1 when none was found). */
  enterRow = -1;
  /** Column (0-based among columns) of the entering arc. */
  enterColumn = -1;
  /** Reduced cost of the entering arc (negative). */
  enterReduced = 0;
  private nextRow = 0;
  private nextColumn = 0;
  private readonly arcs: number;
  private readonly piColumns: Float64Array;
  private readonly priceSegment: CostRows['priceSegment'];
  private readonly scan = new Float64Array(2);

  /**
   * @param costs the cost rows (their fused `priceSegment` is used when present)
   * @param segment reads C_ij for from ≤ j < to of row i
   * @param pi the potentials `[n + m + 1]` (rows, then columns), read at each search
   * @param blockSize arcs per block
   */
  constructor(
    private readonly costs: CostRows,
    private readonly segment: (i: number, from: number, to: number) => Float64Array,
    private readonly pi: Float64Array,
    private readonly blockSize: number,
  ) {
    this.arcs = costs.n * costs.m;
    this.piColumns = pi.subarray(costs.n, costs.n + costs.m);
    this.priceSegment = costs.priceSegment?.bind(costs);
  }

  /** Searches for an arc with reduced cost below −tolerance; true if one was found. */
  findEnteringArc(tolerance: number): boolean {
    const { n, m } = this.costs;
    const { arcs, blockSize, pi, piColumns, priceSegment, scan, segment } = this;
    let best = -tolerance;
    let bestRow = -1;
    let bestColumn = -1;
    let count = blockSize;
    let scanned = 0;
    let i = this.nextRow;
    let j0 = this.nextColumn;
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
    this.nextRow = i;
    this.nextColumn = j0;
    this.enterRow = bestRow;
    this.enterColumn = bestColumn;
    this.enterReduced = best;
    return bestRow >= 0;
  }
}
