// The one driver that joins a problem dy = f dt + g dW, a solver and a step-size policy
// (fixed grid, explicit times, or adaptive with an error controller), as in diffrax's diffeqsolve.
// Adaptive steps use the scaled RMS error norm and Hairer's starting step (Hairer, Nørsett &
// Wanner I, II.4); SDE steps draw ΔW from rng.fold(step) or take it from a Brownian path.
import * as tf from '@tensorflow/tfjs-core';
import type { DerivativeStepResult, DifferentialProblem, Solver, StepSizeController } from '../contracts/integrator.js';
import type { Rng } from '../rng/rng.js';
import type { BrownianPath } from './brownian-path.js';
import { isSdeSolver } from './is-sde-solver.js';
import { piController } from './pi-controller.js';
import { scaledErrorNorm } from './scaled-error-norm.js';

/** Adaptive step-size settings. */
export interface AdaptiveOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /** Step-size controller (default `piController()`). */
  controller?: StepSizeController;
  /** First step size; default: Hairer's starting-step heuristic (2 drift evaluations). */
  initialStep?: number;
  /** Most accepted + rejected steps before giving up (default 100 000). */
  maxSteps?: number;
}

/** Where to step: `steps` uniform steps, an explicit list of `times`, or adaptive control. */
export type SolveGrid =
  | { t0: number; t1: number; steps: number }
  | { t0: number; t1: number; adaptive: AdaptiveOptions }
  | { times: readonly number[] };

/** Options of {@link solve}. */
export interface SolveOptions {
  /** Also return every accepted state, stacked `[steps + 1, n, d]`, and their times. */
  trajectory?: boolean;
  /** Random stream of an SDE solve: step i draws its ΔW from `rng.fold(i)`. */
  rng?: Rng;
  /** Brownian path of an SDE solve (instead of `rng`); the step times must lie on its grid. */
  brownian?: BrownianPath;
}

/** What {@link solve} returns. */
export interface SolveResult {
  /** The state at the final time, `[n, d]` (owned by the caller). */
  y: tf.Tensor2D;
  /** Drift evaluations used (including rejected steps and the starting-step heuristic). */
  nfe: number;
  /** Accepted steps. */
  steps: number;
  /** Rejected steps (adaptive only). */
  rejected: number;
  /** Times of the accepted states (with `trajectory`). */
  times?: number[];
  /** Accepted states `[steps + 1, n, d]` (with `trajectory`; owned by the caller). */
  trajectory?: tf.Tensor3D;
}

function checkFinite(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`solve: "${name}" must be a finite number, got ${String(v)}`);
}

function gridTimes(grid: SolveGrid): number[] | undefined {
  if ('times' in grid) {
    const ts = [...grid.times];
    if (ts.length < 2) throw new RangeError(`solve: "times" needs at least 2 entries, got ${ts.length}`);
    ts.forEach((t, i) => checkFinite(`times[${i}]`, t));
    const dir = Math.sign(ts[ts.length - 1]! - ts[0]!);
    for (let i = 1; i < ts.length; i++) {
      if (!(Math.sign(ts[i]! - ts[i - 1]!) === dir && dir !== 0)) {
        throw new RangeError(`solve: "times" must be strictly monotone; times[${i - 1}] = ${ts[i - 1]}, times[${i}] = ${ts[i]}`);
      }
    }
    return ts;
  }
  checkFinite('t0', grid.t0);
  checkFinite('t1', grid.t1);
  if ('steps' in grid) {
    if (!Number.isInteger(grid.steps) || grid.steps <= 0) {
      throw new RangeError(`solve: "steps" must be a positive integer, got ${String(grid.steps)}`);
    }
    return Array.from({ length: grid.steps + 1 }, (_, i) =>
      i === grid.steps ? grid.t1 : grid.t0 + ((grid.t1 - grid.t0) * i) / grid.steps,
    );
  }
  return undefined;
}

/**
 * Integrates `problem` from `y0` (`[n, d]`, not owned) with `solver` over `grid`.
 * Fixed grids work for every solver (ODE and SDE); adaptive grids need a solver with an error
 * estimate (`heun`, `dopri5`) and an ODE. Time may run backwards (t1 < t0).
 */
export function solve(
  problem: DifferentialProblem,
  solver: Solver,
  grid: SolveGrid,
  y0: tf.Tensor2D,
  options: SolveOptions = {},
): SolveResult {
  if (!problem || typeof problem.drift !== 'function') throw new TypeError('solve: "problem" must have a drift(t, y) function');
  if (!solver || typeof solver.step !== 'function') throw new TypeError('solve: "solver" must have a step() function');
  if (!(y0 instanceof tf.Tensor) || y0.rank !== 2) {
    throw new RangeError(`solve: "y0" must be a [n, d] tensor, got ${y0 instanceof tf.Tensor ? `[${y0.shape.join(', ')}]` : typeof y0}`);
  }
  const name = solver.id ?? 'solver';
  if (problem.diffusion && !solver.stochastic) {
    throw new TypeError(`solve: the problem has a diffusion term but ${name} is an ODE solver; use euler-maruyama or stochastic-heun`);
  }
  const sde = solver.stochastic && problem.diffusion !== undefined;
  if (sde && !options.rng && !options.brownian) throw new TypeError(`solve: ${name} on an SDE needs "rng" or "brownian"`);
  if (options.brownian && !isSdeSolver(solver)) {
    throw new TypeError(`solve: a Brownian path needs an SDE solver with stepWithIncrement, got ${name}`);
  }
  const times = gridTimes(grid);
  if (times) return solveFixed(problem, solver, times, y0, options, sde);
  const adaptive = (grid as { t0: number; t1: number; adaptive: AdaptiveOptions }).adaptive;
  if (sde) throw new TypeError(`solve: adaptive steps are for ODEs; give "steps" for the SDE solver ${name}`);
  return solveAdaptive(problem, solver, grid as { t0: number; t1: number }, adaptive, y0, options);
}

function solveFixed(
  problem: DifferentialProblem,
  solver: Solver,
  times: number[],
  y0: tf.Tensor2D,
  options: SolveOptions,
  sde: boolean,
): SolveResult {
  const states: tf.Tensor2D[] = [];
  if (options.trajectory) states.push(tf.clone(y0));
  let y = y0;
  let nfe = 0;
  try {
    for (let i = 0; i + 1 < times.length; i++) {
      const ta = times[i]!;
      const tb = times[i + 1]!;
      let result;
      if (sde && options.brownian && isSdeSolver(solver)) {
        const dW = options.brownian.increment(ta, tb);
        try {
          result = solver.stepWithIncrement(problem, ta, tb, y, dW);
        } finally {
          dW.dispose();
        }
      } else {
        result = solver.step(problem, ta, tb, y, sde ? options.rng!.fold(i) : undefined);
      }
      result.error?.dispose();
      nfe += result.nfe;
      if (y !== y0 && !options.trajectory) y.dispose();
      y = result.y;
      if (options.trajectory) states.push(y);
    }
  } catch (error) {
    if (y !== y0 && !options.trajectory) y.dispose();
    tf.dispose(states);
    throw error;
  }
  return solveResult(y, y0, { nfe, steps: times.length - 1, rejected: 0 }, times.slice(), states, options);
}

function solveAdaptive(
  problem: DifferentialProblem,
  solver: Solver,
  span: { t0: number; t1: number },
  adaptive: AdaptiveOptions,
  y0: tf.Tensor2D,
  options: SolveOptions,
): SolveResult {
  const name = solver.id ?? 'solver';
  const errorOrder = solver.errorOrder;
  if (errorOrder === undefined) {
    throw new TypeError(`solve: adaptive steps need a solver with an error estimate (heun, dopri5), got ${name}`);
  }
  const rtol = adaptive.rtol ?? 1e-5;
  const atol = adaptive.atol ?? 1e-6;
  if (!(rtol >= 0) || !(atol >= 0) || rtol + atol <= 0) {
    throw new RangeError(`solve: adaptive "rtol" and "atol" must be non-negative and not both zero, got rtol = ${rtol}, atol = ${atol}`);
  }
  const maxSteps = adaptive.maxSteps ?? 100_000;
  const controller = adaptive.controller ?? piController();
  const { t0, t1 } = span;
  const length = Math.abs(t1 - t0);
  const dir = Math.sign(t1 - t0);
  if (dir === 0) return { y: tf.clone(y0), nfe: 0, steps: 0, rejected: 0, ...(options.trajectory ? { times: [t0], trajectory: tf.stack([y0]) as tf.Tensor3D } : {}) };

  let nfe = 0;
  let f: tf.Tensor2D | undefined = solver.stepWithDerivative ? problem.drift(t0, y0) : undefined;
  if (f) nfe++;
  let h: number;
  if (adaptive.initialStep !== undefined) {
    if (!(adaptive.initialStep > 0)) throw new RangeError(`solve: adaptive "initialStep" must be positive, got ${adaptive.initialStep}`);
    h = Math.min(adaptive.initialStep, length);
  } else {
    const start = startingStep(problem, t0, y0, f, dir, solver.order, rtol, atol);
    nfe += start.nfe;
    h = Math.min(start.h, length);
  }
  const states: tf.Tensor2D[] = options.trajectory ? [tf.clone(y0)] : [];
  const times: number[] = [t0];
  let state = controller.init();
  let t = t0;
  let y = y0;
  let accepted = 0;
  let rejected = 0;
  try {
    while (dir * (t1 - t) > 1e-12 * length) {
      if (accepted + rejected >= maxSteps) {
        throw new RangeError(`solve: ${name} exceeded maxSteps = ${maxSteps} at t = ${t} (step ${h}); loosen rtol/atol or raise maxSteps`);
      }
      if (h < 1e-12 * length) throw new RangeError(`solve: ${name} step size underflow (h = ${h}) at t = ${t}; the problem may be stiff or not finite`);
      const last = h >= dir * (t1 - t);
      const tNext = last ? t1 : t + dir * h;
      const hUsed = Math.abs(tNext - t);
      const result: DerivativeStepResult = solver.stepWithDerivative
        ? solver.stepWithDerivative(problem, t, tNext, y, f)
        : solver.step(problem, t, tNext, y);
      nfe += result.nfe;
      const err = scaledErrorNorm(result.error!, y, result.y, rtol, atol);
      result.error?.dispose();
      const decision = controller.propose(state, err, errorOrder);
      state = decision.state;
      if (decision.accept) {
        if (y !== y0 && !options.trajectory) y.dispose();
        y = result.y;
        if (f) f.dispose();
        f = result.derivative;
        t = tNext;
        accepted++;
        if (options.trajectory) {
          states.push(y);
          times.push(t);
        }
      } else {
        result.y.dispose();
        result.derivative?.dispose();
        rejected++;
      }
      h = hUsed * decision.factor;
    }
  } catch (error) {
    if (y !== y0 && !options.trajectory) y.dispose();
    f?.dispose();
    tf.dispose(states);
    throw error;
  }
  f?.dispose();
  return solveResult(y, y0, { nfe, steps: accepted, rejected }, times, states, options);
}

/**
 * The result both step policies return: the final state owned by the caller (a copy when the
 * trajectory keeps the original, or when no step was taken), and with `trajectory` the accepted
 * times and the stacked states (whose parts are disposed here).
 */
function solveResult(
  y: tf.Tensor2D,
  y0: tf.Tensor2D,
  counts: { nfe: number; steps: number; rejected: number },
  times: number[],
  states: tf.Tensor2D[],
  options: SolveOptions,
): SolveResult {
  const out: SolveResult = { y: options.trajectory || y === y0 ? tf.clone(y) : y, ...counts };
  if (options.trajectory) {
    out.times = times;
    out.trajectory = tf.stack(states) as tf.Tensor3D;
    tf.dispose(states);
  }
  return out;
}

/** Hairer's starting step (Solving ODEs I, II.4): two drift evaluations, order-aware. */
function startingStep(
  problem: DifferentialProblem,
  t0: number,
  y0: tf.Tensor2D,
  f0Given: tf.Tensor2D | undefined,
  dir: number,
  order: number,
  rtol: number,
  atol: number,
): { h: number; nfe: number } {
  let nfe = 0;
  const f0 = f0Given ?? problem.drift(t0, y0);
  if (!f0Given) nfe++;
  try {
    const [d0, d1] = tf.tidy(() => {
      const scale = tf.add(tf.mul(tf.abs(y0), rtol), atol);
      const rms = (x: tf.Tensor) => tf.sqrt(tf.mean(tf.square(tf.div(x, scale))));
      return [rms(y0).dataSync()[0]!, rms(f0).dataSync()[0]!];
    });
    const h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
    const d2 = tf.tidy(() => {
      const y1 = tf.add(y0, tf.mul(f0, dir * h0)) as tf.Tensor2D;
      const f1 = problem.drift(t0 + dir * h0, y1);
      const scale = tf.add(tf.mul(tf.abs(y0), rtol), atol);
      return tf.sqrt(tf.mean(tf.square(tf.div(tf.sub(f1, f0), scale)))).dataSync()[0]! / h0;
    });
    nfe++;
    const dMax = Math.max(d1, d2);
    const h1 = dMax <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / dMax, 1 / (order + 1));
    return { h: Math.min(100 * h0, h1), nfe };
  } finally {
    if (!f0Given) f0.dispose();
  }
}
