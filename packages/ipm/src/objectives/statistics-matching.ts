// Statistics matching (Cabannes, arXiv:2311.13845, section 2): train a one-step generator φ so
// that a discrepancy D(φ#ν, μ₁) between its samples and the data falls. With D an IPM in its
// closed form (MMD), its mean formulation (Fourier / characteristic features, energy distance) or
// an optimal-transport cost (Sinkhorn, sliced Wasserstein), the loss of one step is
// D({φ(z_i)}, {x_j}) on a minibatch, differentiated through φ. D is any registered discrepancy,
// chosen by `loss: { id, options }`; the presets (`mmd`, `energy`, …) fix the id.
// On data with class labels the generator is φ(z | c) and the loss sums per-class discrepancies
// (per-class-discrepancy explains the choice).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { perClassDiscrepancy } from './per-class-discrepancy.js';
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
import { IMAGE_GENERATOR_DEFAULTS, onImages } from '@pfm/core';

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
 * Above this data dimension a loss that can run as the fused host loop (`fused`, the default on cpu
 * and wasm) trains with the composed tfjs ops instead, unless the recipe sets `fused` itself: the
 * host loop costs n·m·d scalar steps, while the composed path's distances are one matrix product.
 * Measured on wasm, one thread, value and gradient of the energy distance, 256 × 256 points:
 * d = 16: 16 ms fused vs 13 ms composed; d = 64: 81 vs 8; d = 784 (MNIST): 741 vs 58 (same gradient
 * to 5 digits; the composed value is float32, the fused one float64, which matters for a metric, not
 * for a training step). At d ≤ 64 nothing changes, so low-dimensional runs stay bit for bit.
 */
export const FUSED_LOSS_MAX_DIM = 64;

/** `loss` with `fused: false` when the data are wider than FUSED_LOSS_MAX_DIM and the loss has a `fused` option the recipe left unset. */
function trainingLoss(loss: EntryRef, ctx: ObjectiveContext): EntryRef {
  const id = typeof loss === 'string' ? loss : loss.id;
  const options = (typeof loss === 'string' ? {} : (loss.options ?? {})) as Record<string, unknown>;
  if (ctx.dim <= FUSED_LOSS_MAX_DIM || options.fused !== undefined || id === undefined) return loss;
  const schema = ctx.registry.list('discrepancy').find((e) => e.id === id)?.options as { properties?: Record<string, unknown> } | undefined;
  return schema?.properties && 'fused' in schema.properties ? { id, options: { ...options, fused: false } } : loss;
}

/**
 * The training run of a statistics-matching generator: one player, loss D(φ(z), batch) with D
 * built from `loss`; the model records `method` and `options` (what its file will hold).
 */
export function statisticsMatchingRun<O extends GeneratorOptions>(method: string, options: O, loss: EntryRef, ctx: ObjectiveContext): TrainingRun {
  const opts = withLatentDim(options, ctx.dim, ctx.eventShape);
  const discrepancy = ctx.registry.create('discrepancy', trainingLoss(loss, ctx), {}, 'options.loss');
  if (ctx.condition?.kind === 'context') {
    throw new OptionsError(`${method}: a context condition has no classes to match one by one; statistics matching takes class labels`);
  }
  const classes = ctx.condition?.kind === 'class' ? ctx.condition.classes : undefined;
  const generator = createNetwork(
    classes !== undefined ? { ...ctx.network, condition: { classes } } : ctx.network,
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
        loss: ({ batch, condition, rng }) =>
          tf.tidy(() => {
            if (condition && generator.condition) {
              const perData = opts.generatedBatch > 0 ? opts.generatedBatch / batch.shape[0] : 1;
              return perClassDiscrepancy({ generator, discrepancy, batch, labels: condition, noise: (m, r) => sampleNoise(opts.noise, m, opts.latentDim, r), generatedPerData: perData, rng });
            }
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
  recipeDefaults: onImages(IMAGE_GENERATOR_DEFAULTS),
  create: (options, ctx) => statisticsMatchingRun('statistics-matching', options, options.loss, ctx),
  load: (parts) => loadStatisticsMatching('statistics-matching', parts),
});
