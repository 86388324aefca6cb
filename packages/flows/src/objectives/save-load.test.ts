import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  createRng,
  decodeModelFile,
  encodeModelFile,
  gaussian,
  modelFromContent,
  modelToContent,
  trainRecipe,
  type Model,
} from '@pfm/core';
import { testRegistry } from '../test-support/registry.js';
import { linearTeacherContent } from '../test-support/linear-teacher.js';

const registry = testRegistry();
const tiny = { hidden: [8, 8] };

/** Each objective trained for a few steps; a loaded copy must sample bit-identically. */
const recipes: [string, Record<string, unknown>, Record<string, unknown>[]][] = [
  ['flow-matching', { sigma: 0.1 }, [{}, { integrator: 'rk4', steps: 5 }]],
  ['ot-flow-matching', {}, [{ steps: 10 }]],
  ['flow-matching', { coupling: 'sinkhorn' }, [{ steps: 10 }]],
  ['stochastic-interpolant', {}, [{ steps: 10 }]],
  ['score-sde', { sampler: { integrator: 'heun', steps: 10 } }, [{}, { stochastic: true, steps: 10 }]],
  ['rectified-flow', { rounds: 2, pairs: 64, reflowSampler: { integrator: 'euler', steps: 4 } }, [{ steps: 1 }]],
  ['distill', { teacher: 'LINEAR', pairs: 64 }, [{}]],
  ['distill', { teacher: 'LINEAR', mode: 'progressive', startSteps: 4, finalSteps: 1 }, [{}]],
  ['curriculum', { loss: 'energy', levels: 3 }, [{}]],
  ['cnf', { train: { integrator: 'euler', steps: 2 }, logProb: { integrator: 'rk4', steps: 4 }, sampler: { integrator: 'rk4', steps: 4 } }, [{}]],
  ['cnf', { divergence: 'hutchinson', train: { integrator: 'euler', steps: 2 }, logProb: { integrator: 'euler', steps: 3 } }, [{ steps: 3 }]],
  ['particles', { loss: 'energy', count: 50 }, [{}]],
];

async function roundTrip(model: Model): Promise<Model> {
  const { json } = encodeModelFile(modelToContent(model, registry, { steps: 4 }));
  return modelFromContent(decodeModelFile(json), registry);
}

describe('save/load: a loaded model samples identically', () => {
  it.each(recipes)('%s %j', async (method, options, samplings) => {
    const data = gaussian({ mean: [1, -1], std: 0.5 }).sample(128, createRng(1));
    const opts = { ...options };
    if (opts.teacher === 'LINEAR') opts.teacher = linearTeacherContent(registry);
    const { model } = await trainRecipe({ method, options: opts, model: tiny, steps: 4, batchSize: 32, seed: 3 }, data, { registry });
    const loaded = await roundTrip(model);
    expect(loaded.method).toBe(method);
    expect(loaded.nfe).toBe(model.nfe);
    for (const sampling of samplings) {
      const a = model.sample(20, createRng(7), sampling);
      const b = loaded.sample(20, createRng(7), sampling);
      expect(b.arraySync()).toEqual(a.arraySync());
      tf.dispose([a, b]);
    }
    if (model.logProb) {
      const x = tf.tensor2d([[0.5, -0.2], [1, 1]]);
      const la = model.logProb(x);
      const lb = loaded.logProb!(x);
      expect(lb.arraySync()).toEqual(la.arraySync());
      tf.dispose([x, la, lb]);
    }
    if (method === 'distill') expect(JSON.stringify(modelToContent(loaded, registry).options)).not.toContain('teacher');
    model.dispose();
    loaded.dispose();
    data.dispose();
  });
});
