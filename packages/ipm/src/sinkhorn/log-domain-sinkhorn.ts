// Log-domain Sinkhorn iterations on host point clouds (Float64), C = ‖x − y‖^p / p:
// f_i = −ε log Σ_j b_j e^{(g_j − C_ij)/ε}, g_j = −ε log Σ_i a_i e^{(f_i − C_ij)/ε}, ε-scaling from the
// diameter down to blur^p (Feydy et al. 2019, AISTATS, §3; Schmitzer 2019, SIAM J. Sci. Comput. 41).
// Mode 'scaling' (Feydy 2020, PhD thesis, §3.3.3, Alg. 3.5): one averaged update
// (f, g) ← ½(f, g) + ½(T_b(g), T_a(f)) per ε of the schedule, then one plain update at ε = blur^p
// (the extrapolation); mode 'tolerance': the same schedule as a warm start, then plain updates at
// blur^p until the marginals are within `tolerance`.
import type { HostPoints } from '../points/points.js';
import { pointCostRows } from '../wasserstein/cost-rows.js';
import { softminOperator } from './softmin-operator.js';
import type { SinkhornOptions } from './sinkhorn.js';

/** Validated Sinkhorn settings shared by `sinkhorn` and `sinkhornDivergence`. */
export interface SinkhornSettings {
  mode: 'scaling' | 'tolerance';
  blur: number;
  p: number;
  scaling: number;
  maxIterations: number;
  tolerance: number;
}

/** Validates the numeric Sinkhorn options. */
export function sinkhornSettings(where: string, options: SinkhornOptions): SinkhornSettings {
  const mode = options.mode ?? 'scaling';
  const blur = options.blur ?? 0.05;
  const p = options.p ?? 2;
  const scaling = options.scaling ?? (mode === 'scaling' ? 0.9 : 0.5);
  const maxIterations = options.maxIterations ?? 1000;
  const tolerance = options.tolerance ?? 1e-2;
  if (mode !== 'scaling' && mode !== 'tolerance') {
    throw new RangeError(`${where}: mode must be 'scaling' or 'tolerance', got ${JSON.stringify(mode)}`);
  }
  if (!(blur > 0) || !Number.isFinite(blur)) throw new RangeError(`${where}: blur must be a positive number, got ${blur}`);
  if (!(p >= 1) || !Number.isFinite(p)) throw new RangeError(`${where}: p must be a number ≥ 1, got ${p}`);
  if (!(scaling > 0 && scaling < 1)) throw new RangeError(`${where}: scaling must be in (0, 1), got ${scaling}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(`${where}: maxIterations must be a positive integer, got ${maxIterations}`);
  }
  if (!(tolerance > 0)) throw new RangeError(`${where}: tolerance must be positive, got ${tolerance}`);
  return { mode, blur, p, scaling, maxIterations, tolerance };
}

/** Diagonal of the bounding box of every cloud (GeomLoss's `max_diameter`). */
export function diameter(points: HostPoints[]): number {
  const d = points[0]!.d;
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  for (const { data, n } of points) {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < d; k++) {
        const v = data[i * d + k]!;
        if (v < lo[k]!) lo[k] = v;
        if (v > hi[k]!) hi[k] = v;
      }
    }
  }
  let s = 0;
  for (let k = 0; k < d; k++) s += (hi[k]! - lo[k]!) ** 2;
  return Math.sqrt(s);
}

/** ε_k = max(σ_k, blur)^p for σ_k = diameter · scaling^k (GeomLoss's schedule), ending at blur^p. */
export function epsilonSchedule(s: SinkhornSettings, diam: number): number[] {
  const out: number[] = [];
  for (let sigma = Math.max(diam, s.blur); sigma > s.blur; sigma *= s.scaling) out.push(sigma ** s.p);
  out.push(s.blur ** s.p);
  return out;
}

/**
 * Row-marginal L1 error of the plan (f, g) when `next` = softmin update of f: Σ a_i |e^{(f_i − next_i)/ε} − 1|,
 * scaled by max(1, ε / costScale): the potentials move by ≈ ε × (marginal error), so when ε exceeds
 * the cost scale the marginals must be tighter for the dual value to be accurate.
 */
function marginalError(a: Float64Array, f: Float64Array, next: Float64Array, eps: number, costScale: number): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e += a[i]! * Math.abs(Math.exp((f[i]! - next[i]!) / eps) - 1);
  return e * Math.max(1, eps / costScale);
}

/** Solved entropic problem on host point clouds (internal form shared with the divergence). */
export interface SinkhornState {
  f: Float64Array;
  g: Float64Array;
  epsilon: number;
  value: number;
  iterations: number;
  /** Row-marginal error at the end (NaN when not measured: mode 'scaling' without `measure`). */
  marginalError: number;
  /** Mode 'tolerance': the stopping test passed; mode 'scaling': always true (the schedule ran). */
  converged: boolean;
  /**
   * Mode 'scaling': the potentials before the extrapolation, f = T_b(gPrev) and g = T_a(fPrev), so
   * the plan of (f, gPrev) has exact rows and that of (fPrev, g) exact columns (GeomLoss's gradients).
   */
  fPrev?: Float64Array;
  gPrev?: Float64Array;
}

/** Options of one solve beyond the settings. */
export interface SolveOptions {
  /** Diameter of the ε schedule (default: that of the clouds of this solve). The divergence passes the joint one. */
  diameter?: number;
  /** Mode 'scaling': measure the marginal error at the end (one more softmin pass). */
  measure?: boolean;
}

/** Log-domain Sinkhorn between host clouds x, y with weights a, b (sum 1); C = ‖x − y‖^p / p. */
export function solveSinkhorn(
  hx: HostPoints,
  hy: HostPoints,
  a: Float64Array,
  b: Float64Array,
  s: SinkhornSettings,
  solve: SolveOptions = {},
): SinkhornState {
  if (s.mode === 'scaling') return scaledSinkhorn(hx, hy, a, b, s, solve);
  const softminX = softminOperator(hx, hy, s.p);
  const softminY = softminOperator(hy, hx, s.p);
  const logA = Float64Array.from(a, Math.log);
  const logB = Float64Array.from(b, Math.log);
  const f = new Float64Array(hx.n);
  const g = new Float64Array(hy.n);
  const next = new Float64Array(hx.n);
  const diam = diameter([hx, hy]);
  const costScale = Math.max(diam ** s.p / s.p, Number.MIN_VALUE);
  const schedule = epsilonSchedule(s, diam);
  for (const eps of schedule.slice(0, -1)) {
    softminX(logB, g, eps, f);
    softminY(logA, f, eps, g);
  }
  const eps = schedule[schedule.length - 1]!;
  softminY(logA, f, eps, g);
  let iterations = 0;
  let error = Infinity;
  while (iterations < s.maxIterations) {
    softminX(logB, g, eps, next);
    error = marginalError(a, f, next, eps, costScale);
    if (error < s.tolerance) break;
    f.set(next);
    softminY(logA, f, eps, g);
    iterations++;
  }
  let value = 0;
  for (let i = 0; i < hx.n; i++) value += a[i]! * f[i]!;
  for (let j = 0; j < hy.n; j++) value += b[j]! * g[j]!;
  return { f, g, epsilon: eps, value, iterations, marginalError: error, converged: error < s.tolerance };
}

/** Symmetric problem OT_ε(α, α): f ← ½(f + T(f)) (Feydy et al. 2019, §3), value 2⟨a, f⟩. */
export function solveSymmetricSinkhorn(hx: HostPoints, a: Float64Array, s: SinkhornSettings, solve: SolveOptions = {}): SinkhornState {
  if (s.mode === 'scaling') return scaledSymmetricSinkhorn(hx, a, s, solve);
  const softmin = softminOperator(hx, hx, s.p);
  const logA = Float64Array.from(a, Math.log);
  const f = new Float64Array(hx.n);
  const next = new Float64Array(hx.n);
  const diam = diameter([hx]);
  const costScale = Math.max(diam ** s.p / s.p, Number.MIN_VALUE);
  const schedule = epsilonSchedule(s, diam);
  for (const eps of schedule.slice(0, -1)) {
    softmin(logA, f, eps, next);
    for (let i = 0; i < hx.n; i++) f[i] = 0.5 * (f[i]! + next[i]!);
  }
  const eps = schedule[schedule.length - 1]!;
  let iterations = 0;
  let error = Infinity;
  while (iterations < s.maxIterations) {
    softmin(logA, f, eps, next);
    error = marginalError(a, f, next, eps, costScale);
    if (error < s.tolerance) break;
    for (let i = 0; i < hx.n; i++) f[i] = 0.5 * (f[i]! + next[i]!);
    iterations++;
  }
  let value = 0;
  for (let i = 0; i < hx.n; i++) value += 2 * a[i]! * f[i]!;
  return { f, g: f, epsilon: eps, value, iterations, marginalError: error, converged: error < s.tolerance };
}

/**
 * Mode 'scaling' on OT_ε(α, β): f, g start at the softmins of 0 at ε₀ = diameter^p; for each ε of
 * the schedule, f ← ½(f + T_b(g)), g ← ½(g + T_a(f)) (both from the previous pair: the symmetric
 * update of Feydy 2020, Fig. 3.24.b, which does not oscillate as ε drops); at the end one plain
 * update (f, g) ← (T_b(g), T_a(f)) at blur^p, the extrapolation that makes the dual value and the
 * envelope-theorem gradient first-order accurate. 2·(K + 2) softmin passes for K values of ε; `iterations` counts the K + 1 updates.
 */
function scaledSinkhorn(hx: HostPoints, hy: HostPoints, a: Float64Array, b: Float64Array, s: SinkhornSettings, solve: SolveOptions): SinkhornState {
  const softminX = softminOperator(hx, hy, s.p);
  const softminY = softminOperator(hy, hx, s.p);
  const logA = Float64Array.from(a, Math.log);
  const logB = Float64Array.from(b, Math.log);
  const diam = solve.diameter ?? diameter([hx, hy]);
  const schedule = epsilonSchedule(s, diam);
  let f = new Float64Array(hx.n);
  let g = new Float64Array(hy.n);
  let nextF = new Float64Array(hx.n);
  let nextG = new Float64Array(hy.n);
  const zeroX = new Float64Array(hx.n);
  const zeroY = new Float64Array(hy.n);
  softminX(logB, zeroY, schedule[0]!, f);
  softminY(logA, zeroX, schedule[0]!, g);
  for (const eps of schedule) {
    softminX(logB, g, eps, nextF);
    softminY(logA, f, eps, nextG);
    for (let i = 0; i < hx.n; i++) f[i] = 0.5 * (f[i]! + nextF[i]!);
    for (let j = 0; j < hy.n; j++) g[j] = 0.5 * (g[j]! + nextG[j]!);
  }
  const eps = schedule[schedule.length - 1]!;
  softminX(logB, g, eps, nextF);
  softminY(logA, f, eps, nextG);
  [f, nextF] = [nextF, f];
  [g, nextG] = [nextG, g];
  let error = Number.NaN;
  if (solve.measure) {
    const check = new Float64Array(hx.n);
    softminX(logB, g, eps, check);
    error = marginalError(a, f, check, eps, Math.max(diam ** s.p / s.p, Number.MIN_VALUE));
  }
  let value = 0;
  for (let i = 0; i < hx.n; i++) value += a[i]! * f[i]!;
  for (let j = 0; j < hy.n; j++) value += b[j]! * g[j]!;
  return { f, g, epsilon: eps, value, iterations: schedule.length + 1, marginalError: error, converged: true, fPrev: nextF, gPrev: nextG };
}

/** Mode 'scaling' on OT_ε(α, α): f ← ½(f + T_a(f)) per ε, then f ← T_a(f) at blur^p; value 2⟨a, f⟩. */
function scaledSymmetricSinkhorn(hx: HostPoints, a: Float64Array, s: SinkhornSettings, solve: SolveOptions): SinkhornState {
  const softmin = softminOperator(hx, hx, s.p);
  const logA = Float64Array.from(a, Math.log);
  const diam = solve.diameter ?? diameter([hx]);
  const schedule = epsilonSchedule(s, diam);
  let f = new Float64Array(hx.n);
  const next = new Float64Array(hx.n);
  softmin(logA, new Float64Array(hx.n), schedule[0]!, f);
  for (const eps of schedule) {
    softmin(logA, f, eps, next);
    for (let i = 0; i < hx.n; i++) f[i] = 0.5 * (f[i]! + next[i]!);
  }
  const eps = schedule[schedule.length - 1]!;
  softmin(logA, f, eps, next);
  const fPrev = f;
  f = next;
  let error = Number.NaN;
  if (solve.measure) {
    const check = new Float64Array(hx.n);
    softmin(logA, f, eps, check);
    error = marginalError(a, f, check, eps, Math.max(diam ** s.p / s.p, Number.MIN_VALUE));
  }
  let value = 0;
  for (let i = 0; i < hx.n; i++) value += 2 * a[i]! * f[i]!;
  return { f, g: f, epsilon: eps, value, iterations: schedule.length + 1, marginalError: error, converged: true, fPrev, gPrev: fPrev };
}

/** Calls `visit(i, j, π_ij, C_ij)` for every pair, with π_ij = a_i b_j e^{(f_i + g_j − C_ij)/ε}. */
export function forEachPlanEntry(
  hx: HostPoints,
  hy: HostPoints,
  a: Float64Array,
  b: Float64Array,
  state: SinkhornState,
  p: number,
  visit: (i: number, j: number, mass: number, cost: number) => void,
): void {
  const costs = pointCostRows(hx, hy, p, 1 / p);
  const row = new Float64Array(hy.n);
  const { f, g, epsilon } = state;
  for (let i = 0; i < hx.n; i++) {
    const c = costs.row(i, row);
    for (let j = 0; j < hy.n; j++) visit(i, j, a[i]! * b[j]! * Math.exp((f[i]! + g[j]! - c[j]!) / epsilon), c[j]!);
  }
}

