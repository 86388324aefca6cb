import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, gaussian, modelFromContent, trainRecipe, type VectorField } from '@pfm/core';
import { scoreSdeModel, scoreSdeSchema } from '../objectives/score-sde.js';
import { vpSchedule } from '../paths/vp-schedule.js';
import { exactVpScore, TARGET } from '../test-support/gaussian-target.js';
import { LINEAR_FIELD, linearFlowEndpoint, linearTeacherContent } from '../test-support/linear-teacher.js';
import { testRegistry } from '../test-support/registry.js';
import { flowModel } from './flow-model.js';
import type { TransportModel } from './transport-model.js';

const registry = testRegistry();

/** Σ_i log N(x_i; mean_i, variance_i) of each row. */
function gaussianLogDensity(rows: number[][], mean: number[], variance: number[]): number[] {
  return rows.map((row) => row.reduce((sum, v, i) => sum - 0.5 * Math.log(2 * Math.PI * variance[i]!) - (0.5 * (v - mean[i]!) ** 2) / variance[i]!, 0));
}

function logProbRows(model: TransportModel, rows: number[][], options?: Parameters<NonNullable<TransportModel['logProbWith']>>[1]): number[] {
  return tf.tidy(() => {
    const x = tf.tensor2d(rows);
    return Array.from((options === undefined ? model.logProb!(x) : model.logProbWith!(x, options)).dataSync());
  });
}

const POINTS = [
  [0.5, -0.2],
  [1.7, 0.4],
  [-1.2, 2.3],
  [0.05, -1.9],
];

describe('logProb of a flow model by the instantaneous change of variables', () => {
  it('a flow-matching model with the linear velocity a_i x_i + c_i t + b_i has the exact Gaussian density of its flow', () => {
    const before = tf.memory().numTensors;
    // χ₁(z)_i = e^{a_i} z_i + χ₁(0)_i, so p_1 = N(χ₁(0), diag(e^{2a})).
    const model = modelFromContent(linearTeacherContent(registry), registry, 'linear.json') as TransportModel;
    const mean = linearFlowEndpoint([0, 0]);
    const variance = LINEAR_FIELD.a.map((a) => Math.exp(2 * a));
    const want = gaussianLogDensity(POINTS, mean, variance);
    // Default: dopri5, rtol = atol = 1e-5, exact divergence (d = 2).
    logProbRows(model, POINTS).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
    // Fixed rk4 steps and Hutchinson's estimator (exact here: the Jacobian is diagonal, εᵢ² = 1).
    logProbRows(model, POINTS, { integrator: 'rk4', steps: 20, divergence: 'hutchinson', probes: 3 }).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the optimal flow-matching velocity of N(m, diag s²) data gives back that density (d = 2 exact, d = 24 Hutchinson)', () => {
    const before = tf.memory().numTensors;
    for (const dim of [2, 24]) {
      // Linear path x_t = (1 − t) z + t x1: p_t = N(t m, σ_t² I) per coordinate with
      // σ_t² = (1 − t)² + t² s², and the marginal velocity v_t(x) = m + (σ_t'/σ_t)(x − t m)
      // (Lipman et al. 2023, eq. 15 with the Gaussian conditional paths) carries N(0, I) to N(m, s²).
      const m = Array.from({ length: dim }, (_, i) => Math.sin(i + 1));
      const s = Array.from({ length: dim }, (_, i) => 0.4 + 0.1 * (i % 7));
      const meanT = tf.tensor1d(m);
      const drift = (t: number, x: tf.Tensor2D) =>
        tf.tidy(() => {
          const rate = s.map((si) => (t * si * si - (1 - t)) / ((1 - t) ** 2 + t * t * si * si));
          return tf.add(meanT, tf.mul(tf.tensor1d(rate), tf.sub(x, tf.mul(meanT, t)))) as tf.Tensor2D;
        });
      const model = flowModel({ method: 'gaussian-flow', options: {}, dim, registry, maps: {}, drift, sampler: { integrator: 'rk4', steps: 10 } });
      const rows = [0, 1, 2].map((k) => Array.from({ length: dim }, (_, i) => m[i]! + s[i]! * Math.cos(3 * k + i)));
      const want = gaussianLogDensity(rows, m, s.map((si) => si * si));
      const got = logProbRows(model, rows);
      got.forEach((v, i) => expect(Math.abs(v - want[i]!), `d = ${dim}, row ${i}: ${v} vs ${want[i]}`).toBeLessThan(2e-3 * dim));
      model.dispose();
      meanT.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("the score SDE's probability-flow ODE with the exact score has the density of its (linear) flow from N(0, I)", () => {
    const before = tf.memory().numTensors;
    const schedule = vpSchedule();
    const exact: VectorField = {
      dim: 2,
      variables: [],
      evaluate: (t, x) => tf.tidy(() => tf.mul(exactVpScore(schedule, t as number, x), -schedule.sigma(1 - (t as number))) as tf.Tensor2D),
      toSpec: () => ({ type: 'exact-gaussian-noise', options: {} }),
      dispose() {},
    };
    const options = scoreSdeSchema.parse({ prediction: 'noise' });
    const model = scoreSdeModel(options, exact, registry);
    // ẋ_i = ½β (x_i − (x_i − α m_i)/V_i), V_i = α² s_i² + σ², is linear in x: N(0, 1) at t = 0 goes to
    // N(μ_i, v_i) with μ' = a μ + b, v' = 2 a v, a = ½β (1 − 1/V), b = ½β α m / V; integrated here in
    // double precision (rk4, 20 000 steps) up to t = 1 − ε.
    const mean: number[] = [];
    const variance: number[] = [];
    TARGET.mean.forEach((mi, i) => {
      const si = TARGET.std[i]!;
      const rhs = (t: number, [mu, v]: number[]) => {
        const sd = 1 - t;
        const a = schedule.alpha(sd);
        const V = a * a * si * si + schedule.sigma(sd) ** 2;
        const half = 0.5 * schedule.beta(sd);
        const k = half * (1 - 1 / V);
        return [k * mu! + (half * a * mi) / V, 2 * k * v!];
      };
      let y = [0, 1];
      const steps = 20_000;
      const h = (1 - options.endTime) / steps;
      for (let j = 0; j < steps; j++) {
        const t = j * h;
        const k1 = rhs(t, y);
        const k2 = rhs(t + h / 2, y.map((u, q) => u + (h / 2) * k1[q]!));
        const k3 = rhs(t + h / 2, y.map((u, q) => u + (h / 2) * k2[q]!));
        const k4 = rhs(t + h, y.map((u, q) => u + h * k3[q]!));
        y = y.map((u, q) => u + (h / 6) * (k1[q]! + 2 * k2[q]! + 2 * k3[q]! + k4[q]!));
      }
      mean.push(y[0]!);
      variance.push(y[1]!);
    });
    const want = gaussianLogDensity(POINTS, mean, variance);
    logProbRows(model, POINTS).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 3));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([['flow-matching'], ['ot-flow-matching'], ['rectified-flow'], ['stochastic-interpolant'], ['score-sde']])(
    'a trained %s model has a density that integrates to 1 on a grid',
    async (method) => {
      const data = gaussian({ mean: [0.5, -0.3], std: 0.7 }).sample(256, createRng(1));
      const before = tf.memory().numTensors;
      const { model } = await trainRecipe({ method, model: { hidden: [16, 16] }, steps: 30, batchSize: 64, seed: 2 }, data, { registry });
      // Midpoint rule over [−6, 6]² with spacing 0.3; a briefly trained flow stays close to N(0, I)
      // plus a shift, whose mass outside is negligible; the solve is accurate to ≈ 1e-4.
      const k = 40;
      const h = 12 / k;
      const grid: number[] = [];
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) grid.push(-6 + (i + 0.5) * h, -6 + (j + 0.5) * h);
      const mass = tf.tidy(() => tf.sum(tf.exp(model.logProb!(tf.tensor2d(grid, [k * k, 2])))).dataSync()[0]! * h * h);
      expect(Math.abs(mass - 1), `mass ${mass}`).toBeLessThan(0.02);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
      data.dispose();
    },
  );

  it('bad points and bad options are refused with the field named', () => {
    const before = tf.memory().numTensors;
    const model = modelFromContent(linearTeacherContent(registry), registry, 'linear.json') as TransportModel;
    const three = tf.zeros([2, 3]) as tf.Tensor2D;
    const two = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => model.logProb!(three)).toThrow('flow-matching.logProb: expected points [n, 2], got [2, 3]');
    expect(() => model.logProbWith!(two, { probes: 0 })).toThrow(/bad flow-matching\.logProb options: options\.probes: .*>=?\s*1|options\.probes/);
    expect(() => model.logProbWith!(two, { steps: 10, rtol: 1e-3 })).toThrow('options.steps: give either "steps" (fixed steps) or rtol/atol/controller (adaptive steps), not both');
    expect(() => model.logProbWith!(two, { integrator: 'euler' })).toThrow(/flow-matching\.logProb: adaptive stepping \(rtol\/atol\) needs an integrator with an error estimate, and "euler" has none/);
    expect(() => model.logProbWith!(two, { divergence: 'trace' as never })).toThrow(/options\.divergence/);
    tf.dispose([three, two]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
