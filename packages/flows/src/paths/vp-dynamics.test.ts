import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, solve } from '@pfm/core';
import { eulerMaruyama } from '../integrators/euler-maruyama.js';
import { heun } from '../integrators/heun.js';
import { stochasticHeun } from '../integrators/stochastic-heun.js';
import { exactVpScore, moments, TARGET } from '../test-support/gaussian-target.js';
import { vpDynamics } from './vp-dynamics.js';
import { vpSchedule } from './vp-schedule.js';

describe('vpSchedule', () => {
  it.each([['linear' as const], ['cosine' as const]])('%s: α(0) = 1, d/ds ∫β = β, α² + σ² = 1, timeForAlpha inverts α', (kind) => {
    const s = vpSchedule({ kind });
    expect(s.alpha(0)).toBe(1);
    expect(s.alpha(1)).toBeLessThan(0.07);
    for (const u of [0.05, 0.3, 0.6, 0.95]) {
      const h = 1e-6;
      expect((s.integral(u + h) - s.integral(u - h)) / (2 * h)).toBeCloseTo(s.beta(u), 4);
      expect(s.alpha(u) ** 2 + s.sigma(u) ** 2).toBeCloseTo(1, 12);
      expect(s.timeForAlpha(s.alpha(u))).toBeCloseTo(u, 9);
    }
  });

  it('cosine: ᾱ = f(s)/f(0) below the clip point (Nichol & Dhariwal, eq. 17)', () => {
    const s = vpSchedule({ kind: 'cosine' });
    const f = (u: number) => Math.cos(((u + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    for (const u of [0.1, 0.5, 0.85]) expect(s.alpha(u) ** 2).toBeCloseTo(f(u) / f(0), 10);
    expect(s.beta(0.99)).toBe(20);
    expect(() => vpSchedule({ kind: 'linear', betaMin: 0 })).toThrow(/0 < betaMin ≤ betaMax/);
  });
});

describe('vpDynamics with the exact score of Gaussian data reproduce the data law', () => {
  // 3000 samples: standard errors ≈ 0.022 on means and ≈ 1.3% on standard deviations; the
  // tolerances (0.06 and 5%) add room for the discretisation bias at these step counts.
  const cases = [
    ['probability-flow ODE, heun 100 steps', 'ode', heun(), 100],
    ['reverse SDE, euler-maruyama 250 steps', 'sde', eulerMaruyama(), 250],
    ['reverse SDE, stochastic heun 100 steps', 'sde', stochasticHeun(), 100],
  ] as const;
  it.each(cases)('%s', (_name, kind, solver, steps) => {
    for (const scheduleKind of ['linear', 'cosine'] as const) {
      const schedule = vpSchedule({ kind: scheduleKind });
      const dynamics = vpDynamics(schedule, (t, x) => exactVpScore(schedule, t, x));
      // Start from the exact marginal at t = 0, N(α m, α² S + σ² I) with α = α(1) (0.0066 linear,
      // 0.064 for the clipped cosine), so the test isolates the dynamics from the N(0, I) start.
      const a = schedule.alpha(1);
      const z = tf.tidy(() => {
        const std = tf.tensor1d(TARGET.std.map((s) => Math.sqrt(a * a * s * s + schedule.sigma(1) ** 2)));
        return tf.add(tf.mul(createRng(1).normal([3000, 2]), std), tf.tensor1d(TARGET.mean.map((m) => a * m))) as tf.Tensor2D;
      });
      const problem = kind === 'ode' ? dynamics.probabilityFlow : dynamics.reverseSde;
      const r = solve(problem, solver, { t0: 0, t1: 1 - 1e-3, steps }, z, { rng: createRng(2) });
      const { mean, std } = moments(r.y);
      tf.dispose([z, r.y]);
      mean.forEach((m, i) => expect(Math.abs(m - TARGET.mean[i]!), `${scheduleKind} mean[${i}] = ${m}`).toBeLessThan(0.06));
      std.forEach((s, i) => expect(Math.abs(s / TARGET.std[i]! - 1), `${scheduleKind} std[${i}] = ${s}`).toBeLessThan(0.05));
    }
  });

  it('the check can fail: the score of N(0, I) instead of the data does not reach the data law', () => {
    const schedule = vpSchedule();
    const dynamics = vpDynamics(schedule, (_t, x) => tf.neg(x));
    const z = createRng(1).normal([1000, 2]) as tf.Tensor2D;
    const r = solve(dynamics.probabilityFlow, heun(), { t0: 0, t1: 0.999, steps: 50 }, z);
    const { mean } = moments(r.y);
    tf.dispose([z, r.y]);
    expect(Math.abs(mean[0]! - TARGET.mean[0]!)).toBeGreaterThan(1);
  });
});
