import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, gaussian, parseRecipe, pushforward, trainRecipe, type Model } from '@pfm/core';
import { asMap } from '../models/as-map.js';
import { linearTeacherContent } from '../test-support/linear-teacher.js';
import { testRegistry } from '../test-support/registry.js';

const registry = testRegistry();

async function quick(method: string, options: Record<string, unknown> = {}): Promise<Model> {
  const data = gaussian({ dim: 2 }).sample(64, createRng(1));
  try {
    return (await trainRecipe({ method, options, model: { hidden: [8] }, steps: 2, batchSize: 16, seed: 1 }, data, { registry })).model;
  } finally {
    data.dispose();
  }
}

describe('bad input gives one clear error naming the field', () => {
  it('objective options and network options', async () => {
    expect(() => parseRecipe({ method: 'flow-matching', options: { sigmaa: 1 } }, registry)).toThrow(/config\.options.*sigmaa/);
    expect(() => parseRecipe({ method: 'flow-matching', options: { sampler: { steps: 0 } } }, registry)).toThrow(/config\.options\.sampler\.steps/);
    expect(() => parseRecipe({ method: 'score-sde', options: { schedule: 'quadratic' } }, registry)).toThrow(/config\.options\.schedule/);
    const data = gaussian({ dim: 2 }).sample(32, createRng(1));
    // Couplings are a registry kind: the id is checked when the objective is built.
    await expect(trainRecipe({ method: 'flow-matching', options: { coupling: 'greedy' }, steps: 1, batchSize: 8 }, data, { registry })).rejects.toThrow(
      /options\.coupling: unknown coupling "greedy"; known coupling ids: exact-ot, independent, sinkhorn/,
    );
    await expect(trainRecipe({ method: 'flow-matching', model: { hidden: [8], activaton: 'relu' }, steps: 1, batchSize: 8 }, data, { registry })).rejects.toThrow(/model.*activaton/);
    await expect(trainRecipe({ method: 'curriculum', options: { loss: { id: 'nope' } }, steps: 1, batchSize: 8 }, data, { registry })).rejects.toThrow(
      /curriculum\.loss\.id: unknown discrepancy "nope"; known discrepancy ids: .*energy.*mmd/,
    );
    await expect(trainRecipe({ method: 'distill', steps: 1, batchSize: 8 }, data, { registry })).rejects.toThrow(/options\.teacher is required/);
    await expect(trainRecipe({ method: 'distill', options: { teacher: { method: 'flow-matching' } }, steps: 1, batchSize: 8 }, data, { registry })).rejects.toThrow(
      /options\.teacher must have "method", "dim" and "maps"/,
    );
    await expect(
      trainRecipe({ method: 'distill', options: { teacher: linearTeacherContent(registry), mode: 'progressive', startSteps: 6 }, steps: 1, batchSize: 8 }, data, { registry }),
    ).rejects.toThrow(/"startSteps" \(6\) must be finalSteps \(1\) times a power of two/);
    const wide = gaussian({ dim: 3 }).sample(32, createRng(1));
    await expect(trainRecipe({ method: 'distill', options: { teacher: linearTeacherContent(registry) }, steps: 1, batchSize: 8 }, wide, { registry })).rejects.toThrow(
      /the teacher has dimension 2, the data 3/,
    );
    tf.dispose([data, wide]);
  });

  it('sampling options', async () => {
    const fm = await quick('flow-matching');
    const rng = createRng(0);
    expect(() => fm.sample(4, rng, { stochastic: true })).toThrow(/flow-matching has no stochastic sampler/);
    expect(() => fm.sample(4, rng, { integrator: 'leapfrog' })).toThrow(/unknown integrator "leapfrog"; known integrators: dopri5, euler, euler-maruyama, heun, midpoint, rk4, stochastic-heun/);
    expect(() => fm.sample(4, rng, { integrator: 'euler-maruyama' })).toThrow(/is an SDE integrator; the deterministic flow needs an ODE integrator/);
    expect(() => fm.sample(4, rng, { steps: 2.5 })).toThrow(/"steps" must be a positive integer, got 2.5/);
    const z = tf.zeros([3, 5]) as tf.Tensor2D;
    expect(() => asMap(fm).apply(z)).toThrow(/expected noise \[n, 2\], got \[3, 5\]/);
    z.dispose();
    fm.dispose();
    const sde = await quick('score-sde');
    expect(() => sde.sample(4, rng, { stochastic: true, integrator: 'rk4' })).toThrow(/stochastic sampling needs an SDE integrator/);
    sde.dispose();
    const gen = await quick('curriculum', { levels: 1 });
    expect(() => gen.sample(4, rng, { steps: 10 })).toThrow(/a one-step generator takes no integrator, steps or tolerances/);
    gen.dispose();
  });
});

describe('fixed-step solves and the SDE integrator are checked when the objective is created', () => {
  const fails = async (method: string, options: Record<string, unknown>, message: RegExp) => {
    const data = gaussian({ dim: 2 }).sample(32, createRng(1));
    const before = tf.memory().numTensors;
    try {
      await expect(trainRecipe({ method, options, model: { hidden: [8] }, steps: 1, batchSize: 8 }, data, { registry })).rejects.toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      data.dispose();
    }
  };

  it('cnf train and logProb refuse tolerances: they take fixed steps only', async () => {
    await fails('cnf', { train: { integrator: 'dopri5', rtol: 1e-4 } }, /cnf: options\.train\.rtol: got 0\.0001, but this solve takes fixed steps only/);
    await fails('cnf', { logProb: { integrator: 'dopri5', atol: 1e-6 } }, /cnf: options\.logProb\.atol: got 0\.000001, but this solve takes fixed steps only/);
    await fails('cnf', { train: { integrator: 'euler-maruyama' } }, /cnf: options\.train\.integrator: "euler-maruyama" is an SDE integrator/);
  });

  it('rectified-flow reflowSampler refuses tolerances', async () => {
    await fails('rectified-flow', { reflowSampler: { integrator: 'dopri5', rtol: 1e-3 } }, /rectified-flow: options\.reflowSampler\.rtol: got 0\.001, but this solve takes fixed steps only/);
  });

  it('score-sde checks sdeIntegrator before training', async () => {
    await fails('score-sde', { sdeIntegrator: 'langevin' }, /score-sde: options\.sdeIntegrator: unknown integrator "langevin"; SDE integrators: .*euler-maruyama/);
    await fails('score-sde', { sdeIntegrator: 'rk4' }, /score-sde: options\.sdeIntegrator: "rk4" is an ODE integrator; the reverse SDE needs an SDE integrator \(.*euler-maruyama/);
  });

  it('the fixed-step defaults and a real SDE integrator still train', async () => {
    const m = await quick('score-sde', { sdeIntegrator: 'stochastic-heun' });
    m.dispose();
  });
});

describe('asMap', () => {
  it('turns a flow into a pushforward map with its NFE, and a one-step model into its generator', async () => {
    const fm = await quick('flow-matching');
    const map = asMap(fm, 'rk4', 5);
    expect(map.nfe).toBe(20);
    expect(asMap(fm).nfe).toBe(100);
    const z = createRng(3).normal([10, 2]) as tf.Tensor2D;
    const a = map.apply(z);
    const b = (fm as unknown as { transport: (z: tf.Tensor2D, o: object) => tf.Tensor2D }).transport(z, { integrator: 'rk4', steps: 5 });
    expect(a.arraySync()).toEqual(b.arraySync());
    const measure = pushforward(map, gaussian({ dim: 2 }));
    const x = measure.sample(7, createRng(4));
    expect(x.shape).toEqual([7, 2]);
    expect(() => map.toSpec()).toThrow(/an integrated flow is not a registry map; save the model itself/);
    tf.dispose([z, a, b, x]);
    fm.dispose();
    const gen = await quick('curriculum', { levels: 1 });
    expect(asMap(gen).nfe).toBe(1);
    gen.dispose();
  });

  it('adaptive sampling (rtol) counts its evaluations', async () => {
    const fm = await quick('flow-matching');
    const nfe = fm.nfeFor!({ integrator: 'dopri5', rtol: 1e-4 } as never);
    expect(nfe).toBeGreaterThan(6);
    expect((nfe - 2) % 6).toBe(0);
    const x = fm.sample(5, createRng(1), { integrator: 'dopri5', rtol: 1e-4 } as never);
    expect(x.shape).toEqual([5, 2]);
    x.dispose();
    fm.dispose();
  });
});
