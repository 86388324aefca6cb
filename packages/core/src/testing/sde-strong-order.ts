// Empirical strong order of an SDE solver (Kloeden & Platen 1992, §9.6): on geometric Brownian
// motion dX = μX dt + σX dW, X(0) = 1, whose solution at t = 1 is known in closed form from W(1)
// (Itô: exp((μ − σ²/2) + σ W(1)); Stratonovich: exp(μ + σ W(1))), the strong error E|X_h(1) − X(1)|
// over M paths, all step counts driven by one sampled Brownian path, behaves like C h^γ; the
// least-squares slope of log error against log h estimates the strong order γ.
import * as tf from '@tensorflow/tfjs-core';
import type { DifferentialProblem, SdeSolver } from '../contracts/integrator.js';
import { brownianPath } from '../integrate/brownian-path.js';
import { solve } from '../integrate/solve.js';
import { createRng } from '../rng/rng.js';
import { logLogSlope } from './log-log-slope.js';

/** Options of {@link measureStrongOrder} and {@link checkStrongOrder}. */
export interface StrongOrderOptions {
  /** Step counts on [0, 1] (each must divide the path's 512 fine steps; default 8, 16, 32, 64, 128). */
  steps?: number[];
  /** Number of independent paths M (default 2000). */
  paths?: number;
  /** Seed of the Brownian path (default 11). */
  seed?: number;
  /** Drift coefficient μ (default 0.8) and diffusion coefficient σ (default 0.6). */
  mu?: number;
  sigma?: number;
  /** Largest accepted |slope − declared order| (default 0.2). */
  tolerance?: number;
  /** Name in the error message. */
  name?: string;
}

/** Slope, step counts and strong errors of a strong-order measurement. */
export interface StrongOrderResult {
  slope: number;
  steps: number[];
  errors: number[];
}

/** The empirical strong order of `solver` on geometric Brownian motion in its own calculus. */
export function measureStrongOrder(solver: SdeSolver, options: StrongOrderOptions = {}): StrongOrderResult {
  const steps = options.steps ?? [8, 16, 32, 64, 128];
  const paths = options.paths ?? 2000;
  const mu = options.mu ?? 0.8;
  const sigma = options.sigma ?? 0.6;
  const gbm: DifferentialProblem = {
    drift: (_t, y) => tf.mul(y, mu) as tf.Tensor2D,
    diffusion: (_t, y) => tf.mul(y, sigma) as tf.Tensor2D,
  };
  const path = brownianPath({ resolution: 512, shape: [paths, 1], rng: createRng(options.seed ?? 11) });
  const exact = tf.tidy(() => {
    const w = path.increment(0, 1);
    const drift = solver.calculus === 'ito' ? mu - (sigma * sigma) / 2 : mu;
    return tf.exp(tf.add(tf.mul(w, sigma), drift));
  });
  try {
    const errors = steps.map((k) =>
      tf.tidy(() => {
        const y0 = tf.ones([paths, 1]) as tf.Tensor2D;
        const r = solve(gbm, solver, { t0: 0, t1: 1, steps: k }, y0, { brownian: path });
        return tf.mean(tf.abs(tf.sub(r.y, exact))).dataSync()[0]!;
      }),
    );
    return { slope: logLogSlope(steps.map((k) => 1 / k), errors), steps, errors };
  } finally {
    exact.dispose();
  }
}

/**
 * Throws if the measured strong order differs from the declared `solver.order` by more than
 * `tolerance` (default 0.2: the slope of a Monte Carlo strong error over 2000 shared paths is
 * stable to about ±0.1).
 */
export function checkStrongOrder(solver: SdeSolver, options: StrongOrderOptions = {}): StrongOrderResult {
  const result = measureStrongOrder(solver, options);
  const tol = options.tolerance ?? 0.2;
  if (!(Math.abs(result.slope - solver.order) <= tol)) {
    throw new Error(
      `${options.name ?? solver.id ?? 'solver'}: declared strong order ${solver.order}, measured ${result.slope.toFixed(2)} (errors ${result.errors.map((e) => e.toExponential(2)).join(', ')} at steps ${result.steps.join(', ')})`,
    );
  }
  return result;
}
