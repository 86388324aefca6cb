import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, type VectorField } from '@pfm/core';
import { vpSchedule } from '../paths/vp-schedule.js';
import { exactVpScore, moments, TARGET } from '../test-support/gaussian-target.js';
import { testRegistry } from '../test-support/registry.js';
import { scoreSdeModel, scoreSdeSchema } from './score-sde.js';

const registry = testRegistry();

describe('score-sde model with the exact noise predictor of Gaussian data', () => {
  // ε(t, x) = −σ(s) ∇log p_t(x): what a perfectly trained network would output. The model starts
  // from N(0, I) (the true p_0 has mean α(1) m ≈ 0.01) and stops at flow time 1 − 1e-3.
  const schedule = vpSchedule();
  const exact: VectorField = {
    dim: 2,
    variables: [],
    evaluate: (t, x) => tf.tidy(() => tf.mul(exactVpScore(schedule, t as number, x), -schedule.sigma(1 - (t as number))) as tf.Tensor2D),
    toSpec: () => ({ type: 'exact-gaussian-noise', options: {} }),
    dispose() {},
  };
  const model = scoreSdeModel(scoreSdeSchema.parse({ sampler: { integrator: 'heun', steps: 60 } }), exact, registry);

  // 2000 samples: standard errors ≈ 0.027 on means and 1.6% on standard deviations.
  it.each([
    ['probability-flow ODE (default)', {}],
    ['reverse SDE (stochastic: true, euler-maruyama)', { stochastic: true, steps: 200 }],
    ['reverse SDE (stochastic-heun)', { stochastic: true, integrator: 'stochastic-heun', steps: 80 }],
  ])('%s reproduces the data law', (_name, options) => {
    const x = model.sample(2000, createRng(12), options);
    const { mean, std } = moments(x);
    x.dispose();
    mean.forEach((m, i) => expect(Math.abs(m - TARGET.mean[i]!), `mean[${i}] = ${m}`).toBeLessThan(0.08));
    std.forEach((s, i) => expect(Math.abs(s / TARGET.std[i]! - 1), `std[${i}] = ${s}`).toBeLessThan(0.06));
  });

  it('counts evaluations of both samplers', () => {
    expect(model.nfe).toBe(120);
    expect(model.nfeFor!({ stochastic: true, steps: 200 })).toBe(200);
    expect(model.nfeFor!({ stochastic: true, integrator: 'stochastic-heun', steps: 80 })).toBe(160);
  });
});
