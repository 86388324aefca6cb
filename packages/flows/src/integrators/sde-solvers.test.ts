import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, solve, type DifferentialProblem } from '@pfm/core';
import { measureStrongOrder } from '@pfm/core/testing';
import { eulerMaruyama } from './euler-maruyama.js';
import { stochasticHeun } from './stochastic-heun.js';

// The strong orders themselves are checked by the conformance suite over every registered
// integrator (integrator-conformance.test.ts); these tests pin the calculus and the noise stream.
describe('SDE solvers', () => {
  it('euler-maruyama converges to the Itô solution, not the Stratonovich one', () => {
    const before = tf.memory().numTensors;
    const wrong = { ...eulerMaruyama(), calculus: 'stratonovich' as const };
    const { errors } = measureStrongOrder(wrong, { steps: [32, 128] });
    // The gap between the two solutions, E|X_Itô − X_Strat| ≈ E X · (1 − e^{−σ²/2}) ≈ 0.35, does not shrink.
    expect(errors[1]!).toBeGreaterThan(0.2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('draws ΔW from rng.fold(step): the same seed gives the same endpoint', () => {
    const before = tf.memory().numTensors;
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
    expect(tf.memory().numTensors).toBe(before);
  });
});
