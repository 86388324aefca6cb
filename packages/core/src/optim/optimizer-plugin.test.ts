import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generatorModel } from '../model/generator-model.js';
import type { OptimizerEntry, ObjectiveEntry } from '../registry/entries.js';
import { definePlugin } from '../registry/plugin.js';
import { createRegistry } from '../registry/registry.js';
import { createOptimizer } from '../train/optimizer.js';
import { parseRecipe, trainRecipe } from '../train/recipe.js';
import { chain } from './chain.js';
import type { GradientTransformation } from './gradient-transformation.js';
import { resolveUpdates } from './resolve-updates.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';

// A user's optimizer: sign descent θ ← θ − η sign(g) (Bernstein et al. 2018, signSGD), with no host path.
const scaleBySign: GradientTransformation = {
  slots: [],
  init: () => ({}),
  update: (updates, state) => [[{ values: resolveUpdates(updates).map((g) => tf.sign(g)), scale: 1 }], state],
};
const signSgdSchema = z.object({ lr: z.number().positive().default(0.01) }).strict();
const signSgd: OptimizerEntry<z.output<typeof signSgdSchema>> = {
  kind: 'optimizer',
  id: 'sign-sgd',
  description: 'sign descent',
  schema: signSgdSchema,
  create: ({ lr }) => chain(scaleBySign, scaleByLearningRate(lr)),
};

// The smallest objective: a point θ ∈ R^d fitted to the data by mean squared distance; its model maps z to θ.
const pointFit: ObjectiveEntry = {
  kind: 'objective',
  id: 'point-fit',
  description: 'fit one point to the data',
  schema: z.object({}).strict(),
  create(_options, ctx) {
    const theta = tf.tidy(() => tf.variable(tf.zeros([ctx.dim]), true, 'point-fit/theta'));
    const map = { inputDim: ctx.dim, outputDim: ctx.dim, variables: [theta], apply: (z: tf.Tensor2D) => tf.tidy(() => tf.add(tf.mul(z, 0), theta) as tf.Tensor2D), dispose: () => theta.dispose() };
    return {
      players: [{ name: 'point', variables: [theta], loss: ({ batch }) => tf.tidy(() => tf.mean(tf.sum(tf.square(tf.sub(batch, theta)), 1)) as tf.Scalar) }],
      model: generatorModel({ method: 'point-fit', options: { latentDim: ctx.dim, noise: 'gaussian' }, generator: map as never }),
    };
  },
  load: () => {
    throw new Error('not saved in this test');
  },
};

const registry = createRegistry({ plugins: [definePlugin({ name: 'user-optimizers', version: '1.0.0', entries: [signSgd, pointFit] })] });

describe('a plugin optimizer', () => {
  it('trains through a recipe: every step moves each coordinate by exactly η toward the data', async () => {
    const before = tf.memory().numTensors;
    const data = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([64, 2], 0, 0.01, 'float32', 1), 1), tf.tensor1d([3, -2])) as tf.Tensor2D);
    const { model, result } = await trainRecipe({ method: 'point-fit', optimizer: { id: 'sign-sgd', options: { lr: 0.25 } }, steps: 6, batchSize: 16, seed: 1 }, data, { registry });
    const theta = model.maps!.generator!.variables[0]!;
    // θ₀ = 0, the data sits near (3, −2): six signed steps of 0.25 give (1.5, −1.5) exactly.
    expect(Array.from(theta.dataSync())).toEqual([1.5, -1.5]);
    expect(result.finalLoss).toBeLessThan(result.lossHistory[0]!);
    model.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs on tfjs kernels without a host path, and refuses an explicit host path', () => {
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, -1, 0.5])));
    expect(() => createOptimizer({ id: 'sign-sgd', entry: signSgd }, [w], 'host')).toThrow(/path "host" was asked for, but this optimizer has no host path/);
    const optimizer = createOptimizer({ id: 'sign-sgd', options: { lr: 0.5 }, entry: signSgd }, [w]);
    const g = tf.tensor1d([3, -0.1, 0]);
    optimizer.apply([g], 0, 1);
    expect(Array.from(w.dataSync())).toEqual([0.5, -0.5, 0.5]);
    expect(optimizer.state().slots).toEqual({});
    optimizer.dispose();
    // A player's overrides (spread over the run's optimizer by the trainer) reach the entry's options.
    const critic = createOptimizer({ id: 'sign-sgd', options: { lr: 0.5 }, entry: signSgd, lr: 0.25 }, [w]);
    const g2 = tf.tensor1d([1, 1, -1]);
    critic.apply([g2], 0, 1);
    expect(Array.from(w.dataSync())).toEqual([0.25, -0.75, 0.75]);
    critic.dispose();
    g2.dispose();
    expect(() => createOptimizer({ id: 'sign-sgd', entry: signSgd, beta1: 0.5 }, [w])).toThrow(/optimizer "sign-sgd": optimizer\.options: .*beta1/);
    tf.dispose([w, g]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options and unknown ids, naming the field, the value and the known ids', () => {
    expect(() => parseRecipe({ method: 'point-fit', optimizer: { id: 'sign-sgd', options: { lr: -1 } } }, registry)).toThrow(
      /optimizer "sign-sgd": config\.optimizer\.options\.lr: .*>0/,
    );
    expect(() => parseRecipe({ method: 'point-fit', optimizer: { id: 'sign-sgd', options: { beta1: 0.9 } } }, registry)).toThrow(/config\.optimizer\.options: .*beta1/);
    expect(() => parseRecipe({ method: 'point-fit', optimizer: { id: 'lion' } }, registry)).toThrow(/unknown optimizer "lion"; known optimizer ids: adam, adamw, sgd, sign-sgd/);
    expect(() => parseRecipe({ method: 'point-fit', optimizer: { id: 'sign-sgd', lr: 0.1 } }, registry)).toThrow(/config\.optimizer: .*lr/);
    // Today's form keeps naming its field.
    expect(() => parseRecipe({ method: 'point-fit', optimizer: { name: 'rmsprop' } }, registry)).toThrow(/config\.optimizer\.name/);
  });
});
