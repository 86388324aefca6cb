// Minibatch optimal-transport coupling: the permutation σ minimising Σ_i ‖x_i − y_σ(i)‖^p for two
// batches of equal size (Tong et al. 2023, "Improving and generalizing flow-based generative models
// with minibatch optimal transport", §3.2), solved exactly (Jonker–Volgenant; sorting when d = 1).
import { toHostPoints, type Points } from '../points/points.js';
import { pointCostRows } from './cost-rows.js';
import { solveAssignment } from './solve-assignment.js';
import { solveSorted } from './solve-sorted.js';

/**
 * The optimal assignment between `x` `[B, d]` and `y` `[B, d]`: `result[i]` is the index of the
 * y point matched to x_i (a permutation), for the cost ‖x − y‖^p (default p = 2, squared Euclidean).
 * Source: Jonker & Volgenant 1987; Tong et al. 2023 (OT-CFM minibatch coupling).
 */
export function exactAssignment(x: Points, y: Points, options: { p?: number } = {}): Int32Array {
  const p = options.p ?? 2;
  if (!(p >= 1) || !Number.isFinite(p)) throw new RangeError(`exactAssignment: p must be a number ≥ 1, got ${p}`);
  const hx = toHostPoints(x, 'exactAssignment: x');
  const hy = toHostPoints(y, 'exactAssignment: y');
  if (hx.n !== hy.n || hx.d !== hy.d) {
    throw new RangeError(`exactAssignment: x and y must have the same shape, got [${hx.n}, ${hx.d}] and [${hy.n}, ${hy.d}]`);
  }
  if (hx.d === 1) {
    const uniform = new Float64Array(hx.n).fill(1 / hx.n);
    const s = solveSorted(hx.data, uniform, hy.data, uniform, p);
    if (s.rows.length === hx.n) {
      const out = new Int32Array(hx.n);
      s.rows.forEach((i, k) => (out[i] = s.cols[k]!));
      return out;
    }
  }
  return solveAssignment(pointCostRows(hx, hy, p)).assignment;
}
