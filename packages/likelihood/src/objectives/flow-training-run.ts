// Maximum likelihood for a flow (paper, §3): minimise the negative mean log-likelihood
//   L(ψ) = −(1/B) Σ_b [log p₀(ψ⁻¹(x̃_b)) + log|det Dψ⁻¹(x̃_b)|],  x̃_b = x_b (+ dequantisation noise).
// With `preprocess` (images in [0, 1]) x̃_b is the uniform dequantisation (x_b·(K − 1) + u)/K and
// the last layer of ψ is the sigmoid whose inverse is the logit transform (pixel-preprocessing).
import * as tf from '@tensorflow/tfjs-core';
import { isBijector, type Bijector, type MapSpec, type ModelParts, type ObjectiveContext, type TrainingRun, type WithSetupPasses } from '@pfm/core';
import type { CouplingMask } from '../bijectors/coupling-mask.js';
import { chainFromOptions } from '../bijectors/bijector-entries.js';
import { couplingFlowSpecs, mixingOrdersProblem, type PermutationKind } from './coupling-flow-specs.js';
import { resolveNetwork } from './network-options.js';
import { normalizingFlowModel, type FlowModel } from '../flow/flow-model.js';
import { dequantize, type NoiseKind } from '../data/dequantization.js';
import type { PixelPreprocessing } from '../data/pixel-preprocessing.js';
import { uniformDequantize } from '../data/uniform-dequantize.js';
import { logitTransformSpec } from '../data/logit-transform-spec.js';
import { checkData } from '../data/check-data.js';
import { initializationSetupPass, initializeFromData } from '../bijectors/initialize-from-data.js';

/** The options every flow objective has. */
export interface FlowTrainingOptions extends Record<string, unknown> {
  noise: NoiseKind;
  noiseScale: number;
  /** Dequantisation and logit transform of image data in [0, 1] (absent: none). */
  preprocess?: PixelPreprocessing | undefined;
}

/**
 * A one-player training run fitting `bijector` by maximum likelihood on ctx.data. With `dataInit`
 * its `setup()` (run by the trainer, once, before the first step) makes the data-dependent
 * initialisation (ActNorm), declared in `setupPasses` so core's memory plan counts it before it
 * runs. The model owns the bijector.
 */
export function flowTrainingRun(
  method: string,
  options: FlowTrainingOptions,
  ctx: ObjectiveContext,
  bijector: Bijector,
  dataInit: boolean,
): TrainingRun & WithSetupPasses {
  const model = normalizingFlowModel({ method, options, bijector });
  const preprocess = options.preprocess;
  const { data, conditionRows } = ctx;
  const initRng = ctx.rng.fold(3);
  let setUp = !dataInit;
  const setup = (): void => {
    if (setUp) return;
    setUp = true;
    // ActNorm sees what training sees: dequantised pixels (constant pixels would give it a zero variance).
    const initData = preprocess?.dequantize ? uniformDequantize(data, preprocess.levels, initRng) : data;
    try {
      initializeFromData(bijector, initData, undefined, bijector.condition ? conditionRows : undefined);
    } finally {
      if (initData !== data) initData.dispose();
    }
  };
  const trainingPoints = (batch: tf.Tensor2D, rng: Parameters<typeof dequantize>[3]) =>
    preprocess?.dequantize ? uniformDequantize(batch, preprocess.levels, rng) : dequantize(batch, options.noise, options.noiseScale, rng);
  return {
    model,
    setup,
    setupPasses: dataInit ? [initializationSetupPass(ctx.data.shape[0], { dequantizedCopy: preprocess?.dequantize === true })] : [],
    players: [
      {
        name: 'flow',
        variables: bijector.variables,
        // With a condition: −mean log p(x | c), the batch's condition rows going to every conditional coupling.
        loss: ({ batch, condition, rng }) =>
          tf.tidy(() => {
            const points = trainingPoints(batch, rng);
            const logp = condition && bijector.condition ? model.flow.logProb(points, { values: condition }) : model.logProb(points);
            return tf.neg(tf.mean(logp)) as tf.Scalar;
          }),
      },
    ],
  };
}

/**
 * The data-side layers `preprocess` adds to a flow's layer list (noise → data order): the logit
 * transform's sigmoid when `preprocess.logit` is a λ, nothing otherwise.
 */
export function withPreprocessingLayers(layers: MapSpec[], dim: number, preprocess: PixelPreprocessing | undefined): MapSpec[] {
  return preprocess && preprocess.logit !== false ? [...layers, logitTransformSpec(dim, preprocess.logit)] : layers;
}

/**
 * Checks `preprocess` against the other options and the data: the generic noise must be off
 * (`noise: 'none'`) and the data must lie in [0, 1] (pixels). Throws a RangeError naming the field.
 */
export function checkPreprocessing(method: string, options: FlowTrainingOptions, data: tf.Tensor2D): void {
  if (!options.preprocess) return;
  if (options.noise !== 'none') {
    throw new RangeError(`${method}: options.noise is "${options.noise}", but options.preprocess dequantises already; expected noise "none" with preprocess`);
  }
  const [lo, hi] = tf.tidy(() => [tf.min(data).dataSync()[0]!, tf.max(data).dataSync()[0]!]);
  if (!(lo! >= 0 && hi! <= 1)) {
    throw new RangeError(`${method}: options.preprocess expects data in [0, 1] (pixel intensities), but ctx.data ranges over [${lo}, ${hi}]; rescale the data or drop preprocess`);
  }
}

/** The options every coupling-flow objective has besides its coupling's own. */
export interface CouplingFlowOptions extends FlowTrainingOptions {
  blocks: number;
  permutation: PermutationKind;
  actnorm: boolean;
  /** Explicit orders of the mixing layers (data → noise), instead of random draws. */
  mixingOrders?: number[][] | undefined;
}

/**
 * Why a coupling flow cannot model data of `dim` columns (`ObjectiveEntry.unsupported` of realnvp
 * and nsf): a coupling layer transforms some coordinates conditioned on the others, so it needs
 * two at least.
 */
export function couplingUnsupported(data: { dim: number }): string | undefined {
  return data.dim < 2 ? `coupling layers need dim ≥ 2, the data has ${data.dim} column(s)` : undefined;
}

/**
 * The training run of a coupling flow (realnvp, nsf): checks the data (dim ≥ 2), stacks
 * `options.blocks` blocks whose coupling layer `coupling(mask, network)` specifies, and fits
 * the chain by maximum likelihood (ActNorm initialised from the data when present).
 */
export function couplingFlowRun(
  method: string,
  options: CouplingFlowOptions,
  ctx: ObjectiveContext,
  coupling: (mask: CouplingMask, network: ReturnType<typeof resolveNetwork>) => MapSpec,
): TrainingRun {
  checkFlowData(method, ctx);
  const unsupported = couplingUnsupported({ dim: ctx.dim });
  if (unsupported !== undefined) throw new RangeError(`${method}: ${unsupported}`);
  checkPreprocessing(method, options, ctx.data);
  if (options.mixingOrders) {
    const problem = mixingOrdersProblem(options.mixingOrders, ctx.dim, options.blocks, options.permutation);
    if (problem) throw new RangeError(`${method}: options.${problem}`);
  }
  const network = {
    ...resolveNetwork(ctx.network, method),
    ...(ctx.condition ? { condition: ctx.condition.kind === 'class' ? { classes: ctx.condition.classes } : { contextDim: ctx.condition.dim } } : {}),
  };
  const layers = couplingFlowSpecs({
    dim: ctx.dim,
    blocks: options.blocks,
    permutation: options.permutation,
    actnorm: options.actnorm,
    rng: ctx.rng.fold(1),
    orders: options.mixingOrders,
    coupling: (mask) => coupling(mask, network),
  });
  const bijector = chainFromOptions({ dim: ctx.dim, layers: withPreprocessingLayers(layers, ctx.dim, options.preprocess) }, ctx.rng.fold(2));
  return flowTrainingRun(method, options, ctx, bijector, options.actnorm);
}

/** Validates the objective's data (`[N, dim]`, finite). */
export function checkFlowData(method: string, ctx: ObjectiveContext): void {
  checkData(ctx.data, ctx.dim, `${method}: ctx.data`);
}

/** Rebuilds a flow model from a file's maps (role `flow`). */
export function loadFlowModel(method: string, parts: ModelParts<Record<string, unknown>>): FlowModel {
  const map = parts.maps.flow;
  if (!map || !('apply' in map) || !isBijector(map)) {
    throw new RangeError(`${method}: the model file needs a bijector under maps.flow (found ${Object.keys(parts.maps).join(', ') || 'no maps'})`);
  }
  if (map.inputDim !== parts.dim) {
    throw new RangeError(`${method}: maps.flow acts on R^${map.inputDim}, the model's dim is ${parts.dim}`);
  }
  return normalizingFlowModel({ method, options: parts.options, bijector: map });
}
