import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  corePlugin,
  createRegistry,
  createRng,
  defineIntegrator,
  definePlugin,
  gaussian,
  modelFromContent,
  parseRecipe,
  trainRecipe,
  type DifferentialProblem,
  type ModelFileContent,
  type Registry,
} from '@pfm/core';
import { ipmPlugin } from '@pfm/ipm';
import { flowsPlugin } from '../plugin/flows-plugin.js';
import { linearFlowEndpoint, linearTeacherContent } from '../test-support/linear-teacher.js';
import type { TransportModel } from './transport-model.js';

// Euler with `substeps` equal sub-steps per step: its options change its cost, so the NFE shows
// whether a recipe's integrator options reached the solver.
const substepEuler = defineIntegrator({
  id: 'substep-euler',
  description: 'Euler with equal sub-steps per step (a test of integrator options)',
  schema: z.object({ substeps: z.number().int().positive().default(1) }).strict(),
  create: ({ substeps }) => ({
    id: 'substep-euler',
    order: 1,
    stochastic: false,
    nfePerStep: substeps,
    step(problem: DifferentialProblem, t0: number, t1: number, y0: tf.Tensor2D) {
      const h = (t1 - t0) / substeps;
      const y = tf.tidy(() => {
        let y = y0;
        for (let i = 0; i < substeps; i++) y = tf.add(y, tf.mul(problem.drift(t0 + i * h, y), h)) as tf.Tensor2D;
        return y;
      });
      return { y, nfe: substeps };
    },
  }),
});

const registry: Registry = createRegistry({
  plugins: [corePlugin, ipmPlugin, flowsPlugin, definePlugin({ name: 'test-integrators', version: '0', entries: [substepEuler] })],
});

/** The linear teacher (closed-form χ₁) with the sampler of a recipe's options. */
function linearModel(sampler: Record<string, unknown>): TransportModel {
  const recipe = parseRecipe({ method: 'flow-matching', options: { sampler } }, registry);
  const content: ModelFileContent = { ...linearTeacherContent(registry), options: recipe.options };
  return modelFromContent(content, registry) as TransportModel;
}

const Z = [
  [0.3, -1.2],
  [1.5, 0.4],
  [-0.7, 2.1],
  [0, 0],
];

function endpointError(model: TransportModel, options: Record<string, unknown> = {}): number {
  const z = tf.tensor2d(Z);
  const x = model.transport(z, options);
  const got = x.arraySync();
  tf.dispose([z, x]);
  let worst = 0;
  Z.forEach((z, i) => linearFlowEndpoint(z).forEach((v, j) => (worst = Math.max(worst, Math.abs(got[i]![j]! - v)))));
  return worst;
}

describe('sampler options: integrator, steps, rtol, atol, controller', () => {
  it('the old form { integrator, steps } parses to itself, so saved models load unchanged', () => {
    const options = registry.parseOptions('objective', 'flow-matching', { sampler: { integrator: 'rk4', steps: 20 } });
    expect(options.sampler).toEqual({ integrator: 'rk4', steps: 20 });
    expect(registry.parseOptions('objective', 'flow-matching', {}).sampler).toEqual({ integrator: 'euler', steps: 100 });
    const before = tf.memory().numTensors;
    const model = modelFromContent(linearTeacherContent(registry), registry) as TransportModel;
    expect(model.nfe).toBe(80);
    expect(endpointError(model)).toBeLessThan(1e-5);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('adaptive dopri5 from a recipe with rtol 1e-6 hits the closed-form endpoint, with fewer evaluations than rtol 1e-8', () => {
    const before = tf.memory().numTensors;
    const loose = linearModel({ integrator: 'dopri5', rtol: 1e-6, atol: 1e-8 });
    const tight = linearModel({ integrator: 'dopri5', rtol: 1e-8, atol: 1e-10 });
    // The endpoints are O(1), so a tolerance-controlled global error is a small multiple of rtol;
    // float32 round-off (about 1e-7 per operation) floors the error of the tight solve.
    const looseError = endpointError(loose);
    expect(looseError).toBeLessThan(1e-5);
    expect(endpointError(tight)).toBeLessThan(1e-5);
    // Adaptive NFE: 2 to start, then 6 per attempted step (first same as last).
    expect((loose.nfe - 2) % 6).toBe(0);
    expect(loose.nfe).toBeLessThan(tight.nfe);
    // The same tolerance given at sampling time to a fixed-step model is the same solve.
    const fixed = linearModel({ integrator: 'rk4', steps: 20 });
    expect(fixed.nfeFor({ integrator: 'dopri5', rtol: 1e-6, atol: 1e-8 })).toBe(loose.nfe);
    // `steps` at sampling time asks for fixed steps, even on an adaptive model: 7 stages × 3.
    expect(loose.nfeFor({ steps: 3 })).toBe(21);
    for (const m of [loose, tight, fixed]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a controller from the registry, with its options, drives the adaptive solve', () => {
    const before = tf.memory().numTensors;
    const pi = linearModel({ integrator: 'dopri5', rtol: 1e-5 });
    const integral = linearModel({ integrator: 'dopri5', rtol: 1e-5, controller: 'integral' });
    const cautious = linearModel({ integrator: 'dopri5', rtol: 1e-5, controller: { id: 'integral', options: { maxFactor: 1.5 } } });
    expect(endpointError(integral)).toBeLessThan(1e-4);
    expect(endpointError(cautious)).toBeLessThan(1e-4);
    // A step may grow by at most 1.5 per accepted step, so reaching t = 1 takes more steps.
    expect(cautious.nfe).toBeGreaterThan(integral.nfe);
    expect(pi.nfeFor({ controller: { id: 'integral', options: { maxFactor: 1.5 } } })).toBe(cautious.nfe);
    expect(() => integral.nfeFor({ steps: 4, controller: 'pi' })).toThrow(/"controller" needs adaptive stepping; give "rtol" or "atol"/);
    expect(() => integral.nfeFor({ rtol: 1e-3, controller: 'p' })).toThrow(/flow-matching\.sample\.controller: unknown controller "p"; known controllers: integral, pi/);
    for (const m of [pi, integral, cautious]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("a recipe's integrator options reach the solver", () => {
    const before = tf.memory().numTensors;
    const model = linearModel({ integrator: { id: 'substep-euler', options: { substeps: 4 } }, steps: 25 });
    expect(model.nfe).toBe(100);
    const coarse = linearModel({ integrator: 'substep-euler', steps: 25 });
    expect(coarse.nfe).toBe(25);
    // 100 Euler steps in all, first order: error ≈ 4 × smaller than with 25.
    expect(endpointError(model)).toBeLessThan(endpointError(coarse) / 3);
    // Sampling with the same id keeps the stored options; another id drops them.
    expect(model.nfeFor({ integrator: 'substep-euler' })).toBe(100);
    expect(model.nfeFor({ integrator: 'rk4' })).toBe(100);
    for (const m of [model, coarse]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('bad sampler options fail at training time, naming the recipe field', () => {
  async function train(sampler: Record<string, unknown>): Promise<void> {
    const data = gaussian({ dim: 2 }).sample(32, createRng(1));
    try {
      const { model } = await trainRecipe({ method: 'flow-matching', options: { sampler }, model: { hidden: [4] }, steps: 1, batchSize: 8, seed: 1 }, data, { registry });
      model.dispose();
    } finally {
      data.dispose();
    }
  }

  it('unknown integrators, adaptive stepping without an error estimate, SDE integrators, bad options', async () => {
    const before = tf.memory().numTensors;
    await expect(train({ integrator: 'rk5' })).rejects.toThrow(
      /flow-matching: options\.sampler: unknown integrator "rk5"; known integrators: dopri5, euler, euler-maruyama, heun, midpoint, rk4, stochastic-heun, substep-euler/,
    );
    await expect(train({ integrator: 'rk4', rtol: 1e-4 })).rejects.toThrow(
      /flow-matching: options\.sampler: adaptive stepping \(rtol\/atol\) needs an integrator with an error estimate, and "rk4" has none; integrators with one: dopri5, heun$/,
    );
    await expect(train({ integrator: 'euler-maruyama' })).rejects.toThrow(/options\.sampler\.integrator: "euler-maruyama" is an SDE integrator/);
    await expect(train({ integrator: { id: 'substep-euler', options: { substeps: 0 } } })).rejects.toThrow(/options\.sampler\.integrator\.options\.substeps/);
    await expect(train({ integrator: 'dopri5', rtol: 1e-4, controller: { id: 'pi', options: { beta: 0.9 } } })).rejects.toThrow(
      /options\.sampler\.controller\.options\.beta: beta must be smaller than alpha/,
    );
    expect(() => parseRecipe({ method: 'flow-matching', options: { sampler: { controller: 'pi' } } }, registry)).toThrow(
      /config\.options\.sampler\.controller: a step-size controller needs adaptive stepping/,
    );
    expect(() => parseRecipe({ method: 'flow-matching', options: { sampler: { rtol: -1 } } }, registry)).toThrow(/config\.options\.sampler\.rtol/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
