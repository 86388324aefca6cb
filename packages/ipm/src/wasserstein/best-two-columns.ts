// The scan both starts of the assignment solver make for one row: the cheapest column under
// shifted costs h_j = C_ij + shift_j, and the second cheapest (JV's augmenting row reduction needs
// the gap w₂ − w₁ and the runner-up column; the auction's bid raises a price by that gap).

/**
 * best = [j₁, w₁, w₂, j₂] over h_j = row_j + shift_j for j < n = shift.length (n ≥ 1, row at least as long):
 * j₁ the first column with the minimum w₁, w₂ the second smallest value (= w₁ on a tie) and j₂ its
 * column (−1 and w₂ = Infinity when n = 1).
 * Source: Jonker & Volgenant 1987, Computing 38, augmenting row reduction; Bertsekas 1988, bids.
 */
export function bestTwoColumns(row: Float64Array, shift: Float64Array, best: Float64Array): void {
  let w1 = row[0]! + shift[0]!;
  let j1 = 0;
  let w2 = Infinity;
  let j2 = -1;
  for (let j = 1; j < shift.length; j++) {
    const h = row[j]! + shift[j]!;
    if (h < w2) {
      if (h >= w1) {
        w2 = h;
        j2 = j;
      } else {
        w2 = w1;
        w1 = h;
        j2 = j1;
        j1 = j;
      }
    }
  }
  best[0] = j1;
  best[1] = w1;
  best[2] = w2;
  best[3] = j2;
}
