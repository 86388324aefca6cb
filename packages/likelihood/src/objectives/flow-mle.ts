// Maximum likelihood for a flow given layer by layer: ψ = chain(layers), minimise
//   −(1/B) Σ_b [log N(ψ⁻¹(x_b); 0, I) + log|det Dψ⁻¹(x_b)|]   (paper, §3).
import { z } from 'zod';
import { defineObjective } from '@pfm/core';
import { chainFromOptions, mapSpecSchema, MAX_CHAIN_LAYERS, validateBijectorSpecs } from '../bijectors/bijector-entries.js';
import { dequantizationShape } from '../data/dequantization.js';
import { pixelPreprocessingSchema } from '../data/pixel-preprocessing.js';
import { checkFlowData, checkPreprocessing, flowTrainingRun, loadFlowModel, withPreprocessingLayers } from './flow-training-run.js';
import { flowImageDefaults } from './image-recipe-defaults.js';

/** Options of the `flow-mle` objective: layer specs (validated recursively), dataInit, dequantisation. */
export const flowMleOptionsSchema = z
  .object({
    /**
     * Bijector specs `{ type, options }` (options carry `dim`); `layers[0]` acts first on the
     * noise, the last layer produces the data. Types: the bijectors of @pfm/likelihood.
     */
    layers: z.array(mapSpecSchema).min(1).max(MAX_CHAIN_LAYERS),
    /** Run the data-dependent initialisation (ActNorm layers) on the training data. */
    dataInit: z.boolean().default(true),
    ...dequantizationShape,
    /** Images in [0, 1]: uniform dequantisation and a logit transform appended at the data side (absent: none). */
    preprocess: pixelPreprocessingSchema.optional(),
  })
  .strict()
  .superRefine((o, ctx) => validateBijectorSpecs(o.layers, ctx, undefined, ['layers']));

/** Validated options of `flow-mle`. */
export type FlowMleOptions = z.output<typeof flowMleOptionsSchema>;

/**
 * The `flow-mle` objective: any chain of this package's bijectors, by maximum likelihood.
 * Source: Cabannes, "Touring sampling with pushforward maps", arXiv 2311.13845, §3;
 * Papamakarios et al., "Normalizing flows for probabilistic modeling and inference", JMLR 2021.
 */
export const flowMleObjective = defineObjective({
  id: 'flow-mle',
  description: 'Maximum likelihood for a flow given as a list of bijector specs',
  schema: flowMleOptionsSchema,
  recipeDefaults: flowImageDefaults,
  create(options, ctx) {
    checkFlowData('flow-mle', ctx);
    const layerDim = (options.layers[0]!.options as { dim?: unknown }).dim;
    if (layerDim !== ctx.dim) {
      throw new RangeError(`flow-mle: options.layers act on dim ${String(layerDim)}, the data has ${ctx.dim} column(s)`);
    }
    checkPreprocessing('flow-mle', options, ctx.data);
    const bijector = chainFromOptions({ dim: ctx.dim, layers: withPreprocessingLayers(options.layers, ctx.dim, options.preprocess) }, ctx.rng);
    return flowTrainingRun('flow-mle', options, ctx, bijector, options.dataInit);
  },
  load: (parts) => loadFlowModel('flow-mle', parts),
});
