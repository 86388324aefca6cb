// Shared construction of the VAE and IWAE objectives: a Gaussian encoder q(z | x) = N(m(x), diag s(x)²),
// a decoder p(x | z) — Gaussian N(φ(z), σ² I), Bernoulli or continuous Bernoulli with logits φ(z) —
// and one player minimising the negative mean bound (on dequantised pixels with `dequantize`).
// On data with a condition c (class labels or context) both networks take it: the conditional VAE
// q(z | x, c), p(x | z, c) with the prior N(0, I) (Sohn, Lee & Yan 2015), the bound that of log p(x | c).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { conditionOptionsSchema, isImageShape, networkSpec, type ConditionBatch, type ConditionOptions, type ConditionSpec, type MapSpec, type ModelParts, type NetworkConfig, type ObjectiveContext, type Registry, type Rng, type TrainingRun } from '@pfm/core';
import { checkData } from '../data/check-data.js';
import { gaussianEncoder, type GaussianEncoder } from '../vae/gaussian-encoder.js';
import { gaussianDecoder } from '../vae/gaussian-decoder.js';
import { bernoulliDecoder } from '../vae/bernoulli-decoder.js';
import type { VaeDecoder } from '../vae/vae-decoder.js';
import { uniformDequantize } from '../data/uniform-dequantize.js';
import { vaeModel, type VaeModel } from '../vae/vae-model.js';
import { VAE_LOG_PROB_SAMPLES } from '../vae/vae-log-likelihood.js';
import { resolveNetwork } from './network-options.js';

/** Options shared by `vae` and `iwae`. */
export const vaeSharedShape = {
  /** Dimension of the latent z. */
  latentDim: z.number().int().positive().default(2),
  /** σ of the decoder p(x | z) = N(φ(z), σ² I): fixed value, or initial value when learned. */
  decoderStd: z.number().positive().default(1),
  /** Learn σ (a scalar) with the networks. */
  learnDecoderStd: z.boolean().default(true),
  /** `sample` draws x ~ N(φ(z), σ² I) when true, returns φ(z) when false (SampleOptions.stochastic overrides). */
  sampleNoise: z.boolean().default(false),
  /** Importance samples K of the model's `logProb` estimate (fixed seed). */
  logProbSamples: z.number().int().min(1).default(VAE_LOG_PROB_SAMPLES),
  /**
   * p(x | z): `gaussian` N(φ(z), σ² I); `bernoulli` (binary cross-entropy: a pmf of binary x, what
   * most VAE code uses on [0, 1] data); `continuous-bernoulli` (a density on [0, 1]).
   */
  likelihood: z.enum(['gaussian', 'bernoulli', 'continuous-bernoulli']).default('gaussian'),
  /** Train on dequantised pixels x̃ = (x·(levels − 1) + u)/levels and report bits per dimension (not with `bernoulli`). */
  dequantize: z.boolean().default(false),
  /** Values a pixel takes when dequantising (256 for 8-bit images). */
  levels: z.number().int().min(2).max(65_536).default(256),
};

type VaeSharedOptions = z.output<z.ZodObject<typeof vaeSharedShape>>;

/** Checks `likelihood` and `dequantize` against each other and the data; errors name the field. */
function checkImageOptions(method: string, options: VaeSharedOptions, data: tf.Tensor2D): void {
  if (options.dequantize && options.likelihood === 'bernoulli') {
    throw new RangeError(
      `${method}: options.dequantize is true with options.likelihood "bernoulli"; the Bernoulli is a probability of binary pixels, not a density of dequantised ones, so it has no bits per dimension there (use "continuous-bernoulli" or "gaussian")`,
    );
  }
  if (options.likelihood === 'gaussian' && !options.dequantize) return;
  const [lo, hi] = tf.tidy(() => [tf.min(data).dataSync()[0]!, tf.max(data).dataSync()[0]!]);
  if (!(lo! >= 0 && hi! <= 1)) {
    const field = options.likelihood === 'gaussian' ? 'options.dequantize' : `options.likelihood "${options.likelihood}"`;
    throw new RangeError(`${method}: ${field} expects data in [0, 1] (pixel intensities), but ctx.data ranges over [${lo}, ${hi}]`);
  }
}

/**
 * The `condition` option of both networks for data conditioned on `spec`: the classes or context
 * dimension of the data over the recipe's `model.condition` (where `embeddingDim` and `join` are chosen).
 */
function conditionOptions(network: NetworkConfig, spec: ConditionSpec, method: string): ConditionOptions {
  const given = network.condition;
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw new RangeError(`${method}: model.condition must be an object ({ embeddingDim, join }), got ${JSON.stringify(given)}`);
  }
  const { classes: _classes, contextDim: _contextDim, ...chosen } = (given ?? {}) as Record<string, unknown>;
  const options = { ...chosen, ...(spec.kind === 'class' ? { classes: spec.classes } : { contextDim: spec.dim }) };
  const parsed = conditionOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`${method}: model.condition${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}`);
  }
  return options as ConditionOptions;
}

/** The decoder of `options.likelihood`: its network is `network` when given (images), else an MLP of `net`. */
function createDecoder(
  options: VaeSharedOptions,
  dim: number,
  net: ReturnType<typeof resolveNetwork>,
  rng: Rng,
  registry: Registry,
  network: MapSpec | undefined,
  condition: ConditionOptions | undefined,
): VaeDecoder {
  const common = { latentDim: options.latentDim, outputDim: dim, ...net, ...(network ? { network } : {}), ...(condition ? { condition } : {}) };
  if (options.likelihood === 'gaussian') {
    return gaussianDecoder({ ...common, std: options.decoderStd, learnStd: options.learnDecoderStd }, rng, registry);
  }
  return bernoulliDecoder({ ...common, continuous: options.likelihood === 'continuous-bernoulli' }, rng, registry);
}

/**
 * Builds the encoder, decoder and the one-player run; `bound` is the per-row bound `[B]` to
 * maximise, given the batch's condition rows when the data have a condition.
 */
export function vaeTrainingRun(
  method: string,
  options: VaeSharedOptions,
  ctx: ObjectiveContext,
  bound: (model: VaeModel, batch: tf.Tensor2D, rng: Rng, condition: ConditionBatch | undefined) => tf.Tensor1D,
): TrainingRun {
  checkData(ctx.data, ctx.dim, `${method}: ctx.data`);
  checkImageOptions(method, options, ctx.data);
  const { type, condition: _condition, ...network } = ctx.network;
  if (type !== undefined && type !== 'mlp') {
    throw new RangeError(
      `${method}: model.type ${JSON.stringify(type)}: a VAE builds two networks; model.type may only be "mlp" (or left out: MLPs on vectors, conv-encoder and conv-generator on images)`,
    );
  }
  const net = resolveNetwork(network, method);
  const condition = ctx.condition ? conditionOptions(ctx.network, ctx.condition, method) : undefined;
  const k = options.latentDim;
  // On images (and no model.type) the networks are convolutional: q(z | x) reads the image with a
  // conv-encoder, φ(z) draws it with a conv-generator; model.activation applies to both.
  const image = type === undefined && isImageShape(ctx.eventShape);
  const convOptions = network.activation !== undefined ? { activation: net.activation } : {};
  const encoder = gaussianEncoder(
    {
      inputDim: ctx.dim,
      latentDim: k,
      ...net,
      ...(image ? { network: networkSpec(convOptions, 'encoder', { inputDim: ctx.dim, outputDim: 2 * k }, ctx.eventShape) } : {}),
      ...(condition ? { condition } : {}),
    },
    ctx.rng.fold(1),
    ctx.registry,
  );
  let decoder: VaeDecoder;
  try {
    // The Bernoulli decoders' network outputs logits, so an image decoder's output stays linear.
    const decoderNetwork = image
      ? networkSpec(options.likelihood === 'gaussian' ? convOptions : { ...convOptions, outputActivation: 'linear' }, 'decoder', { inputDim: k, outputDim: ctx.dim }, ctx.eventShape)
      : undefined;
    decoder = createDecoder(options, ctx.dim, net, ctx.rng.fold(2), ctx.registry, decoderNetwork, condition);
  } catch (error) {
    encoder.dispose();
    throw error;
  }
  const model = vaeModel({ method, options, encoder, decoder });
  const loss = options.dequantize
    ? (batch: tf.Tensor2D, rng: Rng, c: ConditionBatch | undefined) => bound(model, uniformDequantize(batch, options.levels, rng.fold(0)), rng.fold(1), c)
    : (batch: tf.Tensor2D, rng: Rng, c: ConditionBatch | undefined) => bound(model, batch, rng, c);
  return {
    model,
    players: [
      {
        name: method,
        variables: [...encoder.variables, ...decoder.variables],
        loss: ({ batch, condition: rows, rng }) =>
          tf.tidy(() => tf.neg(tf.mean(loss(batch, rng, condition && rows ? { values: rows } : undefined))) as tf.Scalar),
      },
    ],
  };
}

/** Rebuilds a VAE model from a file's maps (roles `encoder`, `decoder`). */
export function loadVaeModel(method: string, parts: ModelParts<VaeSharedOptions>): VaeModel {
  const encoder = parts.maps.encoder as GaussianEncoder | undefined;
  const decoder = parts.maps.decoder as VaeDecoder | undefined;
  const typeOf = (m: unknown) => (m as { toSpec?: () => { type: string } })?.toSpec?.().type;
  const expectedDecoder = (parts.options.likelihood ?? 'gaussian') === 'gaussian' ? 'gaussian-decoder' : 'bernoulli-decoder';
  if (typeOf(encoder) !== 'gaussian-encoder' || typeOf(decoder) !== expectedDecoder) {
    throw new RangeError(
      `${method}: the model file needs maps.encoder (gaussian-encoder) and maps.decoder (${expectedDecoder}), found ${Object.entries(parts.maps)
        .map(([role, m]) => `${role}: ${typeOf(m)}`)
        .join(', ')}`,
    );
  }
  if (decoder!.outputDim !== parts.dim) throw new RangeError(`${method}: the decoder outputs R^${decoder!.outputDim}, the model's dim is ${parts.dim}`);
  return vaeModel({ method, options: parts.options, encoder: encoder!, decoder: decoder! });
}
