// Statistics matching (Cabannes, arXiv:2311.13845, section 2): train a one-step generator φ so
// that a discrepancy D(φ#ν, μ₁) between its samples and the data falls. With D an IPM in its
// closed form (MMD), its mean formulation (Fourier / characteristic features, energy distance) or
// an optimal-transport cost (Sinkhorn, sliced Wasserstein), the loss of one step is
// D({φ(z_i)}, {x_j}) on a minibatch, differentiated through φ. D is any registered discrepancy,
// chosen by `loss: { id, options }`; the presets (`mmd`, `energy`, …) fix the id.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import {
  OptionsError,
  createNetwork,
  defineObjective,
  entryRefSchema,
  generatorModel,
  generatorOptionsShape,
  sampleNoise,
  withLatentDim,
  type EntryRef,
  type Model,
  type ModelParts,
  type ObjectiveContext,
  type PushforwardMap,
  type TrainingRun,
} from '@pfm/core';

/** Options every statistics-matching generator shares (besides its loss). */
export const statisticsMatchingShape = {
  ...generatorOptionsShape,
  /** Generated points per step; 0 means "as many as the data batch". */
  generatedBatch: z.number().int().min(0).default(0),
};

/** Options of `statistics-matching`: the generator's and `loss`, any registered discrepancy. */
export const statisticsMatchingSchema = z.strictObject({
  ...statisticsMatchingShape,
  /** The discrepancy minimised: an id or `{ id, options }` (options checked by that discrepancy's schema). */
  loss: entryRefSchema('discrepancy', 'energy'),
});

/** Options of `statistics-matching` as written in a recipe. */
export type StatisticsMatchingInput = z.input<typeof statisticsMatchingSchema>;
/** Parsed options of `statistics-matching`. */
export type StatisticsMatchingOptions = z.output<typeof statisticsMatchingSchema>;

type GeneratorOptions = z.output<z.ZodObject<typeof statisticsMatchingShape>>;

/**
 * The training run of a statistics-matching generator: one player, loss D(φ(z), batch) with D
 * built from `loss`; the model records `method` and `options` (what its file will hold).
 */
export function statisticsMatchingRun<O extends GeneratorOptions>(method: string, options: O, loss: EntryRef, ctx: ObjectiveContext): TrainingRun {
  const opts = withLatentDim(options, ctx.dim, ctx.eventShape);
  const discrepancy = ctx.registry.create('discrepancy', loss, {}, 'options.loss');
  const generator = createNetwork(
    ctx.network,
    { inputDim: opts.latentDim, outputDim: ctx.dim },
    ctx.rng.fold(1),
    { hidden: [64, 64, 64], activation: 'silu' },
    { registry: ctx.registry, eventShape: ctx.eventShape, role: 'generator' },
  );
  return {
    players: [
      {
        name: 'generator',
        variables: generator.variables,
        loss: ({ batch, rng }) =>
          tf.tidy(() => {
            const m = opts.generatedBatch > 0 ? opts.generatedBatch : batch.shape[0];
            const fake = generator.apply(sampleNoise(opts.noise, m, opts.latentDim, rng));
            return discrepancy(fake, batch);
          }),
      },
    ],
    model: generatorModel({ method, options: opts, generator }),
  };
}

/** Rebuilds a statistics-matching generator from its file. */
export function loadStatisticsMatching<O extends GeneratorOptions>(method: string, parts: ModelParts<O>): Model {
  const generator = parts.maps.generator as PushforwardMap | undefined;
  if (!generator || typeof (generator as PushforwardMap).apply !== 'function') {
    throw new OptionsError(`${method} model: the file has no "generator" map`);
  }
  const opts = withLatentDim(parts.options, parts.dim);
  if (generator.outputDim !== parts.dim) {
    throw new OptionsError(`${method} model: generator output dim ${generator.outputDim} does not match dim ${parts.dim}`);
  }
  return generatorModel({ method, options: opts, generator });
}

/** Registry entry `statistics-matching`: a one-step generator trained on any registered discrepancy. */
export const statisticsMatching = defineObjective({
  id: 'statistics-matching',
  description: 'One-step generator trained by minimising any registered discrepancy (loss: { id, options }) to the data',
  schema: statisticsMatchingSchema,
  create: (options, ctx) => statisticsMatchingRun('statistics-matching', options, options.loss, ctx),
  load: (parts) => loadStatisticsMatching('statistics-matching', parts),
});
