import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { brownianPath, createRng, integralController, piController, solve } from '@pfm/core';
import { dampedRotation, maxAbsError } from '../test-support/linear-problem.js';
import { dopri5 } from './dopri5.js';
import { euler } from './euler.js';
import { eulerMaruyama } from './euler-maruyama.js';
import { heun } from './heun.js';
import { rk4 } from './rk4.js';

const Y0 = [
  [1, 0.5],
  [-0.3, 2],
  [0.1, -0.2],
];

describe('solve: adaptive dopri5', () => {
  for (const controller of [piController(), integralController()]) {
    it(`${controller.name} controller: reaches the requested tolerance, and looser rtol costs fewer evaluations`, () => {
      const { problem, exact } = dampedRotation();
      const want = exact(Y0, 3);
      const y0 = tf.tensor2d(Y0);
      const runs = [1e-3, 1e-5, 1e-7].map((rtol) => {
        const r = solve(problem, dopri5(), { t0: 0, t1: 3, adaptive: { rtol, atol: rtol * 1e-2, controller } }, y0);
        const err = maxAbsError(r.y, want);
        r.y.dispose();
        return { rtol, err, nfe: r.nfe, steps: r.steps, rejected: r.rejected };
      });
      y0.dispose();
      // The global error of a tolerance-controlled solve is a small multiple of rtol (the
      // solution is O(1)); float32 round-off floors it near 1e-6.
      for (const r of runs) expect(r.err).toBeLessThan(Math.max(10 * r.rtol, 5e-6));
      expect(runs[0]!.nfe).toBeLessThan(runs[1]!.nfe);
      expect(runs[1]!.nfe).toBeLessThan(runs[2]!.nfe);
      // First same as last: 2 evaluations to start, then 6 per attempted step.
      for (const r of runs) expect(r.nfe).toBe(2 + 6 * (r.steps + r.rejected));
    });
  }

  it('heun with its embedded Euler estimate is adaptive too; euler (no estimate) is refused', () => {
    const { problem, exact } = dampedRotation();
    const y0 = tf.tensor2d(Y0);
    const r = solve(problem, heun(), { t0: 0, t1: 1, adaptive: { rtol: 1e-3, atol: 1e-5 } }, y0);
    expect(maxAbsError(r.y, exact(Y0, 1))).toBeLessThan(1e-2);
    r.y.dispose();
    expect(() => solve(problem, euler(), { t0: 0, t1: 1, adaptive: {} }, y0)).toThrow(/adaptive steps need a solver with an error estimate.*euler/);
    y0.dispose();
  });
});

describe('solve: fixed grids', () => {
  it('counts evaluations, returns the trajectory, and integrates backwards to the start', () => {
    const { problem, exact, calls } = dampedRotation();
    const y0 = tf.tensor2d(Y0);
    const before = calls();
    const fwd = solve(problem, rk4(), { t0: 0, t1: 1, steps: 20 }, y0, { trajectory: true });
    expect(fwd.nfe).toBe(80);
    expect(calls() - before).toBe(80);
    expect(fwd.trajectory!.shape).toEqual([21, 3, 2]);
    expect(fwd.times![0]).toBe(0);
    expect(fwd.times![20]).toBe(1);
    expect(maxAbsError(fwd.y, exact(Y0, 1))).toBeLessThan(1e-5);
    const mid = tf.tidy(() => tf.squeeze(tf.slice(fwd.trajectory!, [10, 0, 0], [1, 3, 2]), [0])) as tf.Tensor2D;
    expect(maxAbsError(mid, exact(Y0, 0.5))).toBeLessThan(1e-5);
    const back = solve(problem, rk4(), { t0: 1, t1: 0, steps: 20 }, fwd.y);
    expect(maxAbsError(back.y, Y0)).toBeLessThan(1e-5);
    // An explicit grid of uniform times is the same computation as `steps`.
    const explicit = solve(problem, rk4(), { times: [0, 0.5, 1] }, y0);
    const uniform = solve(problem, rk4(), { t0: 0, t1: 1, steps: 2 }, y0);
    expect(explicit.steps).toBe(2);
    expect(explicit.y.arraySync()).toEqual(uniform.y.arraySync());
    tf.dispose([y0, fwd.y, fwd.trajectory!, mid, back.y, explicit.y, uniform.y]);
  });

  it('rejects bad input with errors that name the field', () => {
    const { problem } = dampedRotation();
    const y0 = tf.tensor2d(Y0);
    expect(() => solve(problem, rk4(), { t0: 0, t1: 1, steps: 0 }, y0)).toThrow(/"steps" must be a positive integer, got 0/);
    expect(() => solve(problem, rk4(), { t0: 0, t1: Number.NaN, steps: 2 }, y0)).toThrow(/"t1" must be a finite number/);
    expect(() => solve(problem, rk4(), { times: [0, 0.5, 0.4] }, y0)).toThrow(/"times" must be strictly monotone/);
    const sde = { ...problem, diffusion: () => 0.1 };
    expect(() => solve(sde, rk4(), { t0: 0, t1: 1, steps: 2 }, y0)).toThrow(/diffusion term but rk4 is an ODE solver/);
    expect(() => solve(sde, eulerMaruyama(), { t0: 0, t1: 1, steps: 2 }, y0)).toThrow(/needs "rng" or "brownian"/);
    expect(() => solve(sde, eulerMaruyama(), { t0: 0, t1: 1, adaptive: {} }, y0, { rng: createRng(1) })).toThrow(/adaptive steps are for ODEs/);
    expect(() => solve(problem, dopri5(), { t0: 0, t1: 1, adaptive: { rtol: 0, atol: 0 } }, y0)).toThrow(/"rtol" and "atol"/);
    expect(() => solve(problem, dopri5(), { t0: 0, t1: 100, adaptive: { maxSteps: 3 } }, y0)).toThrow(/exceeded maxSteps = 3/);
    y0.dispose();
  });
});

describe('brownianPath', () => {
  it('coarse increments are sums of fine ones, with variance equal to the time step', () => {
    const path = brownianPath({ resolution: 64, shape: [4000, 1], rng: createRng(3) });
    const [whole, a, b, var1] = tf.tidy(() => {
      const w = path.increment(0, 1);
      const p = path.increment(0, 0.375);
      const q = path.increment(0.375, 1);
      const gap = tf.max(tf.abs(tf.sub(w, tf.add(p, q)))).dataSync()[0]!;
      return [gap, tf.moments(p).variance.dataSync()[0]!, tf.moments(q).variance.dataSync()[0]!, tf.moments(w).variance.dataSync()[0]!];
    });
    expect(whole).toBeLessThan(1e-5);
    // Sample variances of 4000 draws: relative standard error √(2/4000) ≈ 2.2%; 4 s.e. tolerance.
    expect(Math.abs(a! - 0.375) / 0.375).toBeLessThan(0.09);
    expect(Math.abs(b! - 0.625) / 0.625).toBeLessThan(0.09);
    expect(Math.abs(var1! - 1)).toBeLessThan(0.09);
    expect(() => path.increment(0, 0.3)).toThrow(/time 0.3 is not on the path's grid of 64 steps/);
    expect(() => brownianPath({ resolution: 0, shape: [1, 1], rng: createRng(0) })).toThrow(/"resolution" must be a positive integer/);
  });
});
