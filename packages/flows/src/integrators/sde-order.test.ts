import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, type DifferentialProblem } from '@pfm/core';
import { brownianPath } from './brownian-path.js';
import { eulerMaruyama } from './euler-maruyama.js';
import type { SdeSolver } from './flow-solver.js';
import { solve } from './solve.js';
import { stochasticHeun } from './stochastic-heun.js';

// Geometric Brownian motion dX = μX dt + σX dW, X(0) = 1, driven by one sampled Brownian path.
// Itô solution: X(1) = exp((μ − σ²/2) + σ W(1)); Stratonovich: X(1) = exp(μ + σ W(1)).
// Strong error E|X_h(1) − X(1)| over M paths, at several step counts of the same path; the
// log-log slope estimates the strong order.
const MU = 0.8;
const SIGMA = 0.6;
const PATHS = 2000;
const gbm: DifferentialProblem = {
  drift: (_t, y) => tf.mul(y, MU) as tf.Tensor2D,
  diffusion: (_t, y) => tf.mul(y, SIGMA) as tf.Tensor2D,
};

function strongOrder(solver: SdeSolver, steps: number[]): { slope: number; errors: number[] } {
  const path = brownianPath({ resolution: 512, shape: [PATHS, 1], rng: createRng(11) });
  const exact = tf.tidy(() => {
    const w = path.increment(0, 1);
    const drift = solver.calculus === 'ito' ? MU - (SIGMA * SIGMA) / 2 : MU;
    return tf.exp(tf.add(tf.mul(w, SIGMA), drift));
  });
  const errors = steps.map((k) => {
    const y0 = tf.ones([PATHS, 1]) as tf.Tensor2D;
    const r = solve(gbm, solver, { t0: 0, t1: 1, steps: k }, y0, { brownian: path });
    const e = tf.tidy(() => tf.mean(tf.abs(tf.sub(r.y, exact))).dataSync()[0]!);
    tf.dispose([y0, r.y]);
    return e;
  });
  exact.dispose();
  const xs = steps.map((k) => Math.log(1 / k));
  const ys = errors.map(Math.log);
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return { slope, errors };
}

describe('SDE solvers: empirical strong order on geometric Brownian motion', () => {
  // The slope of a Monte Carlo strong error over 2000 shared paths is stable to about ±0.1.
  it.each([
    ['euler-maruyama (Itô)', eulerMaruyama(), 0.5],
    ['stochastic-heun (Stratonovich)', stochasticHeun(), 1],
  ] as const)('%s has its declared strong order', (_name, solver, order) => {
    expect(solver.order).toBe(order);
    const { slope, errors } = strongOrder(solver, [8, 16, 32, 64, 128]);
    expect(Math.abs(slope - order), `slope ${slope.toFixed(3)}, errors ${errors.map((e) => e.toExponential(2)).join(', ')}`).toBeLessThan(0.2);
  });

  it('euler-maruyama converges to the Itô solution, not the Stratonovich one', () => {
    const wrong = { ...eulerMaruyama(), calculus: 'stratonovich' as const };
    const { errors } = strongOrder(wrong, [32, 128]);
    // The gap between the two solutions, E|X_Itô − X_Strat| ≈ E X · (1 − e^{−σ²/2}) ≈ 0.35, does not shrink.
    expect(errors[1]!).toBeGreaterThan(0.2);
  });

  it('draws ΔW from rng.fold(step): the same seed gives the same endpoint', () => {
    const ou: DifferentialProblem = { drift: (_t, y) => tf.neg(y) as tf.Tensor2D, diffusion: () => 0.5 };
    const y0 = tf.zeros([64, 2]) as tf.Tensor2D;
    const a = solve(ou, stochasticHeun(), { t0: 0, t1: 1, steps: 10 }, y0, { rng: createRng(5) });
    const b = solve(ou, stochasticHeun(), { t0: 0, t1: 1, steps: 10 }, y0, { rng: createRng(5) });
    const c = solve(ou, stochasticHeun(), { t0: 0, t1: 1, steps: 10 }, y0, { rng: createRng(6) });
    expect(a.y.arraySync()).toEqual(b.y.arraySync());
    expect(a.y.arraySync()).not.toEqual(c.y.arraySync());
    expect(a.nfe).toBe(20);
    expect(() => stochasticHeun().step(ou, 0, 1, y0)).toThrow(/needs an rng/);
    tf.dispose([y0, a.y, b.y, c.y]);
  });
});
