// A user plugin as `pfm --plugin` loads it: plain ESM, no build step. Used by the tests of the
// command line to check that a plugin's ids work in every command.
//   mean-gap (discrepancy): ‖mean(x) − mean(y)‖², times `scale`;
//   explode (objective): a one-step generator fitted by least squares to the batch whose loss
//     becomes +∞ from step `at` (0-based) on, to test divergence handling;
//   set-up-counter (objective): the least-squares generator of `explode` whose run declares a
//     set-up pass holding `heldRows` rows and whose setup() prints "set-up-counter: set-up ran"
//     on stderr, to check when the command line makes a run's set-up;
//   fixture-line (dataset): points (u, 2u) with u ~ U(0, 1);
//   sign-descent (optimizer): θ ← θ − η sign(g) (signSGD, Bernstein et al. 2018), tensor path only.
import * as tf from '@tensorflow/tfjs-core';
import { chain, createNetwork, definePlugin, generatorModel, resolveUpdates, scaleByLearningRate } from '@pfm/core';
import process from 'node:process';
import { z } from 'zod';

const meanGap = {
  kind: 'discrepancy',
  id: 'mean-gap',
  description: 'squared distance between the means of the two point clouds',
  schema: z.object({ scale: z.number().positive().default(1) }).strict(),
  create: (options) => (x, y) => tf.tidy(() => tf.mul(tf.sum(tf.square(tf.sub(tf.mean(x, 0), tf.mean(y, 0)))), options.scale)),
};

const explodeSchema = z
  .object({
    at: z.number().int().min(0).default(1_000_000),
    latentDim: z.number().int().min(0).default(0),
    noise: z.enum(['gaussian', 'uniform']).default('gaussian'),
  })
  .strict();

const explode = {
  kind: 'objective',
  id: 'explode',
  description: 'least-squares generator whose loss turns infinite at step `at`',
  schema: explodeSchema,
  create(options, ctx) {
    const latentDim = options.latentDim || ctx.dim;
    const generator = createNetwork(ctx.network, { inputDim: latentDim, outputDim: ctx.dim }, ctx.rng, { hidden: [8] });
    const model = generatorModel({ method: 'explode', options: { ...options, latentDim }, generator });
    return {
      players: [
        {
          name: 'generator',
          variables: generator.variables,
          loss: ({ batch, rng, step }) =>
            tf.tidy(() => {
              const fake = generator.apply(rng.normal([batch.shape[0], latentDim]));
              const loss = tf.mean(tf.square(tf.sub(fake, batch)));
              return step >= options.at ? tf.mul(loss, Infinity) : loss;
            }),
        },
      ],
      model,
    };
  },
  load: (parts) => generatorModel({ method: 'explode', options: parts.options, generator: parts.maps.generator }),
};

const setupCounter = {
  kind: 'objective',
  id: 'set-up-counter',
  description: 'least-squares generator whose set-up pass holds `heldRows` rows and says on stderr when it runs',
  schema: z.object({ heldRows: z.number().int().min(0).default(0) }).strict(),
  create(options, ctx) {
    const run = explode.create(explodeSchema.parse({}), ctx);
    let calls = 0;
    return {
      ...run,
      setupPasses: [{ name: 'fixture set-up', heldRows: options.heldRows, chunkRows: 1 }],
      setup() {
        calls += 1;
        process.stderr.write(`set-up-counter: set-up ran (call ${calls})\n`);
      },
    };
  },
  load: explode.load,
};

const line = {
  kind: 'dataset',
  id: 'fixture-line',
  description: 'points (u, 2u), u ~ U(0, 1)',
  schema: z.object({}).strict(),
  create: () => ({
    dim: 2,
    sample: (n, rng) => tf.tidy(() => tf.mul(tf.tile(rng.uniform([n, 1]), [1, 2]), tf.tensor1d([1, 2]))),
  }),
};

const scaleBySign = {
  slots: [],
  init: () => ({}),
  update: (updates, state) => [[{ values: resolveUpdates(updates).map((g) => tf.sign(g)), scale: 1 }], state],
};

const signDescent = {
  kind: 'optimizer',
  id: 'sign-descent',
  description: 'sign descent θ ← θ − η sign(g)',
  schema: z.object({ lr: z.number().positive().default(0.01) }).strict(),
  create: ({ lr }) => chain(scaleBySign, scaleByLearningRate(lr)),
};

export const plugin = definePlugin({ name: 'pfm-cli-fixture', version: '1.0.0', entries: [meanGap, explode, setupCounter, line, signDescent] });
