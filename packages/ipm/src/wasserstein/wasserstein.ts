// W_p(μ, ν) = (min_{π ∈ Π(a, b)} Σ_ij π_ij ‖x_i − y_j‖^p)^{1/p} between empirical measures, exactly:
// d = 1 → sorting (quantiles); uniform weights with n = m → assignment (Jonker–Volgenant); anything
// else → network simplex (block search pricing). All on the host in Float64 (Peyré & Cuturi 2019, §2–3).
import { z } from 'zod';
import type { PointWeights } from '../points/point-weights.js';
import { toHostPoints, type Points } from '../points/points.js';
import { checkWeights } from './check-weights.js';
import { pointCostRows } from './cost-rows.js';
import { replicatedAssignment, replicatedSize } from './replicated-assignment.js';
import { solveAssignment } from './solve-assignment.js';
import { solveNetworkSimplex } from './network-simplex.js';
import { solveSorted } from './solve-sorted.js';
import type { TransportPlan } from './transport-plan.js';

/** JSON-able options of {@link wasserstein}: the one place they are written. */
export const wassersteinSchema = z.strictObject({
  /** p ≥ 1, the ground cost ‖x − y‖^p. Default 2. */
  p: z.number().min(1).default(2),
  /**
   * Which exact solver. `'auto'` (default): `'sorting'` for d = 1; `'assignment'` for uniform
   * weights with n = m; else `'network'` (network simplex: any sizes and weights). `'assignment'`
   * needs uniform weights and n = m or lcm(n, m) ≤ 4096 (points replicated into an lcm × lcm
   * assignment); `'sorting'` needs d = 1.
   */
  solver: z.enum(['auto', 'assignment', 'network', 'sorting']).default('auto'),
});

/** Which exact solver (see {@link wassersteinSchema}). */
export type WassersteinSolver = z.output<typeof wassersteinSchema>['solver'];

/** Options of {@link wasserstein}: the schema's fields, every one optional, and the point weights (code only). */
export type WassersteinOptions = z.input<typeof wassersteinSchema> & PointWeights;

/** Largest lcm(n, m) for which unequal uniform samples are solved as a replicated assignment. */
const MAX_REPLICATED = 4096;

/** The structured result of an exact optimal transport solve. */
export interface WassersteinResult {
  /** W_p = cost^{1/p}. */
  readonly value: number;
  /** The optimal cost W_p^p = Σ π_ij ‖x_i − y_j‖^p. */
  readonly cost: number;
  readonly p: number;
  readonly plan: TransportPlan;
  /** Dual potentials (u_i + v_j ≤ ‖x_i − y_j‖^p, equality on the plan), when the solver has them. */
  readonly potentials?: { readonly u: Float64Array; readonly v: Float64Array };
  /** Exact solvers always end optimal. */
  readonly status: 'optimal';
  readonly solver: Exclude<WassersteinSolver, 'auto'>;
}

/**
 * Exact p-Wasserstein distance between the point clouds `x` `[n, d]` and `y` `[m, d]` (tensors or
 * rows), with the optimal plan and, for the assignment and network solvers, the dual potentials.
 * Memory O((n + m)·d) for large inputs (costs computed on the fly), so 10 000 vs 10 000 fits.
 * Source: Peyré & Cuturi 2019, "Computational Optimal Transport", §2–3; Jonker & Volgenant 1987;
 * Ahuja, Magnanti & Orlin 1993, §11 (network simplex).
 */
export function wasserstein(x: Points, y: Points, options: WassersteinOptions = {}): WassersteinResult {
  const where = 'wasserstein';
  const p = options.p ?? 2;
  if (!(p >= 1) || !Number.isFinite(p)) throw new RangeError(`${where}: p must be a number ≥ 1, got ${p}`);
  const hx = toHostPoints(x, `${where}: x`);
  const hy = toHostPoints(y, `${where}: y`);
  if (hx.d !== hy.d) throw new RangeError(`${where}: x and y must have the same dimension, got ${hx.d} and ${hy.d}`);
  const uniform = options.weightsX === undefined && options.weightsY === undefined;
  const a = checkWeights(where, 'weightsX', options.weightsX, hx.n);
  const b = checkWeights(where, 'weightsY', options.weightsY, hy.n);
  const requested = options.solver ?? 'auto';
  const replicable = uniform && (hx.n === hy.n || replicatedSize(hx.n, hy.n) <= MAX_REPLICATED);
  const solver = requested === 'auto' ? (hx.d === 1 ? 'sorting' : uniform && hx.n === hy.n ? 'assignment' : 'network') : requested;
  if (!['assignment', 'network', 'sorting'].includes(solver)) {
    throw new RangeError(`${where}: solver must be "auto", "assignment", "network" or "sorting", got ${JSON.stringify(requested)}`);
  }
  const finish = (cost: number, plan: TransportPlan, potentials?: { u: Float64Array; v: Float64Array }): WassersteinResult => ({
    value: Math.max(cost, 0) ** (1 / p),
    cost,
    p,
    plan,
    ...(potentials ? { potentials } : {}),
    status: 'optimal',
    solver: solver as Exclude<WassersteinSolver, 'auto'>,
  });

  if (solver === 'sorting') {
    if (hx.d !== 1) throw new RangeError(`${where}: solver "sorting" needs 1-D points, got dimension ${hx.d}`);
    const s = solveSorted(hx.data, a, hy.data, b, p);
    if (uniform && hx.n === hy.n && s.rows.length === hx.n) {
      const assignment = new Int32Array(hx.n);
      s.rows.forEach((i, k) => (assignment[i] = s.cols[k]!));
      return finish(s.cost, { kind: 'assignment', assignment });
    }
    return finish(s.cost, { kind: 'sparse', rows: s.rows, cols: s.cols, mass: s.mass });
  }
  const costs = pointCostRows(hx, hy, p);
  if (solver === 'assignment') {
    if (!replicable) {
      throw new RangeError(
        `${where}: solver "assignment" needs uniform weights and n = m or lcm(n, m) ≤ ${MAX_REPLICATED}, got n = ${hx.n}, m = ${hy.n}${uniform ? '' : ' with weights'}`,
      );
    }
    if (hx.n === hy.n) {
      const s = solveAssignment(costs);
      return finish(s.cost / hx.n, { kind: 'assignment', assignment: s.assignment }, { u: s.rowPotentials, v: s.columnPotentials });
    }
    const s = replicatedAssignment(costs);
    return finish(s.cost, { kind: 'sparse', rows: s.rows, cols: s.cols, mass: s.mass }, { u: s.rowPotentials, v: s.columnPotentials });
  }
  const s = solveNetworkSimplex(costs, a, b);
  return finish(s.cost, { kind: 'sparse', rows: s.rows, cols: s.cols, mass: s.mass }, { u: s.rowPotentials, v: s.columnPotentials });
}
