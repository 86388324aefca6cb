// Statistics matching (Cabannes, arXiv:2311.13845, section 2): train a one-step generator φ so
// that a discrepancy D(φ#ν, μ₁) between its samples and the data falls. With D an IPM in its
// closed form (MMD), its mean formulation (Fourier / characteristic features, energy distance) or
// an optimal-transport cost (Sinkhorn, sliced Wasserstein), the loss of one step is
// D({φ(z_i)}, {x_j}) on a minibatch, differentiated through φ.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import {
  OptionsError,
  createNetwork,
  generatorModel,
  generatorOptionsShape,
  sampleNoise,
  withLatentDim,
  type Model,
  type ModelParts,
  type ObjectiveContext,
  type ObjectiveEntry,
  type PushforwardMap,
  type TrainingRun,
} from '@pfm/core';

export const statisticsMatchingSchema = z
  .object({
    ...generatorOptionsShape,
    /** Options of the discrepancy used as the loss (validated by its own schema). */
    loss: z.record(z.string(), z.unknown()).default({}),
    /** Generated points per step; 0 means "as many as the data batch". */
    generatedBatch: z.number().int().min(0).default(0),
  })
  .strict();

export type StatisticsMatchingOptions = z.output<typeof statisticsMatchingSchema>;

/** The objective entry that trains a generator by minimising the discrepancy `discrepancyId`. */
export function statisticsMatchingObjective(id: string, discrepancyId: string, description: string): ObjectiveEntry<StatisticsMatchingOptions> {
  return {
    kind: 'objective',
    id,
    description,
    schema: statisticsMatchingSchema,
    create(options: StatisticsMatchingOptions, ctx: ObjectiveContext): TrainingRun {
      const opts = withLatentDim(options, ctx.dim);
      const lossOptions = ctx.registry.parseOptions('discrepancy', discrepancyId, opts.loss, 'options.loss');
      const discrepancy = ctx.registry.get('discrepancy', discrepancyId).create(lossOptions, { registry: ctx.registry });
      const generator = createNetwork(ctx.network, { inputDim: opts.latentDim, outputDim: ctx.dim }, ctx.rng.fold(1), {
        hidden: [64, 64, 64],
        activation: 'silu',
      });
      const model = generatorModel({ method: id, options: { ...opts, loss: lossOptions }, generator });
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
        model,
      };
    },
    load(parts: ModelParts<StatisticsMatchingOptions>): Model {
      const generator = parts.maps.generator as PushforwardMap | undefined;
      if (!generator || typeof (generator as PushforwardMap).apply !== 'function') {
        throw new OptionsError(`${id} model: the file has no "generator" map`);
      }
      const opts = withLatentDim(parts.options, parts.dim);
      if (generator.outputDim !== parts.dim) {
        throw new OptionsError(`${id} model: generator output dim ${generator.outputDim} does not match dim ${parts.dim}`);
      }
      return generatorModel({ method: id, options: opts, generator });
    },
  };
}
