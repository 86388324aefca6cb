import * as tf from '@tensorflow/tfjs-core';
import { createRegistry, createTrainingRun, parseRecipe } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { cliPlugins } from '../plugins.js';
import { checkSamplingFlags, hasStochasticSampler, integratesAFlow } from './check-sampling-flags.js';

const registry = createRegistry({ plugins: cliPlugins });

/** Runs `check` on the (untrained) model of `method`, then disposes everything. */
function withModel(method: string, check: (model: ReturnType<typeof createTrainingRun>['model']) => void): void {
  const data = tf.tensor2d([0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8], [4, 2]);
  const run = createTrainingRun(parseRecipe({ method, model: { hidden: [4] }, steps: 1, batchSize: 4 }, registry, 'config'), data, registry);
  try {
    check(run.model);
  } finally {
    run.dispose?.();
    run.model.dispose();
    data.dispose();
  }
}

describe('checkSamplingFlags', () => {
  it('tells which models integrate a flow and which have a stochastic sampler', () => {
    const before = tf.memory().numTensors;
    const seen: Record<string, [boolean | undefined, boolean]> = {};
    for (const method of ['realnvp', 'energy', 'curriculum', 'vae', 'flow-matching', 'score-sde']) {
      withModel(method, (model) => (seen[method] = [integratesAFlow(model), hasStochasticSampler(model)]));
    }
    expect(seen).toEqual({
      realnvp: [false, false],
      energy: [false, false],
      curriculum: [false, false],
      vae: [false, true],
      'flow-matching': [true, false],
      'score-sde': [true, true],
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses --integrator or --steps on a model with no integrator, naming the flag, the objective and what it applies to', () => {
    const before = tf.memory().numTensors;
    withModel('realnvp', (model) => {
      expect(() => checkSamplingFlags(model, { integrator: 'rk4' })).toThrow(
        '--integrator does not apply to this realnvp model: the objective "realnvp" makes a sampler with no integrator (NFE 1 per sample); integrator flags apply to models that integrate a flow (flow-matching, rectified-flow, score-sde, cnf, …)',
      );
      expect(() => checkSamplingFlags(model, { integrator: 'rk4', steps: 4 })).toThrow(/^--integrator and --steps do not apply to this realnvp model/);
      expect(() => checkSamplingFlags(model, {})).not.toThrow();
    });
    withModel('energy', (model) => expect(() => checkSamplingFlags(model, { steps: 4 })).toThrow(/^--steps does not apply to this energy model: the objective "energy"/));
    withModel('flow-matching', (model) => expect(() => checkSamplingFlags(model, { integrator: 'rk4', steps: 4 })).not.toThrow());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses --stochastic on a one-step generator and on a flow with no stochastic sampler', () => {
    const before = tf.memory().numTensors;
    withModel('curriculum', (model) =>
      expect(() => checkSamplingFlags(model, { stochastic: true })).toThrow(
        '--stochastic does not apply to this curriculum model: the objective "curriculum" makes a sampler with no stochastic variant; --stochastic applies to models with one (score-sde, stochastic-interpolant, vae, …)',
      ),
    );
    withModel('flow-matching', (model) => expect(() => checkSamplingFlags(model, { stochastic: true })).toThrow(/^--stochastic does not apply to this flow-matching model/));
    withModel('score-sde', (model) => expect(() => checkSamplingFlags(model, { stochastic: true, steps: 3 })).not.toThrow());
    withModel('vae', (model) => expect(() => checkSamplingFlags(model, { stochastic: true })).not.toThrow());
    expect(tf.memory().numTensors).toBe(before);
  });
});
