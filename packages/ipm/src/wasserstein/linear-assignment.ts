// min_σ Σ_i C_{i,σ(i)} for an explicit square cost matrix (Jonker & Volgenant 1987), with the dual
// potentials: u_i + v_j ≤ C_ij, equality on σ, Σu + Σv = optimal cost.
import { matrixCostRows } from './cost-rows.js';
import { solveAssignment, type AssignmentSolution } from './solve-assignment.js';

/**
 * Solves the linear assignment problem for a square cost matrix `[n][n]` (rows of numbers).
 * Returns σ (`assignment[i]` = column of row i), the optimal cost and the potentials.
 * Source: Jonker & Volgenant 1987, Computing 38(4):325–340.
 */
export function linearAssignment(cost: ReadonlyArray<ArrayLike<number>>): AssignmentSolution {
  const rows = matrixCostRows(cost, 'linearAssignment');
  if (rows.n !== rows.m) throw new RangeError(`linearAssignment: the cost matrix must be square, got ${rows.n}×${rows.m}`);
  return solveAssignment(rows);
}
