// Shared construction of the VAE and IWAE objectives: a Gaussian encoder q(z | x) = N(m(x), diag s(x)²),
// a Gaussian decoder p(x | z) = N(φ(z), σ² I), one player minimising the negative mean bound.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { isImageShape, networkSpec, type ModelParts, type ObjectiveContext, type Rng, type TrainingRun } from '@pfm/core';
import { checkData } from '../data/check-data.js';
import { gaussianEncoder, type GaussianEncoder } from '../vae/gaussian-encoder.js';
import { gaussianDecoder, type GaussianDecoder } from '../vae/gaussian-decoder.js';
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
};

/** Builds the encoder, decoder and the one-player run; `bound` is the per-row bound `[B]` to maximise. */
export function vaeTrainingRun(
  method: string,
  options: z.output<z.ZodObject<typeof vaeSharedShape>>,
  ctx: ObjectiveContext,
  bound: (model: VaeModel, batch: tf.Tensor2D, rng: Rng) => tf.Tensor1D,
): TrainingRun {
  checkData(ctx.data, ctx.dim, `${method}: ctx.data`);
  const { type, ...network } = ctx.network;
  if (type !== undefined && type !== 'mlp') {
    throw new RangeError(
      `${method}: model.type ${JSON.stringify(type)}: a VAE builds two networks; model.type may only be "mlp" (or left out: MLPs on vectors, conv-encoder and conv-generator on images)`,
    );
  }
  const net = resolveNetwork(network, method);
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
    },
    ctx.rng.fold(1),
    ctx.registry,
  );
  let decoder: GaussianDecoder;
  try {
    decoder = gaussianDecoder(
      {
        latentDim: k,
        outputDim: ctx.dim,
        ...net,
        std: options.decoderStd,
        learnStd: options.learnDecoderStd,
        ...(image ? { network: networkSpec(convOptions, 'decoder', { inputDim: k, outputDim: ctx.dim }, ctx.eventShape) } : {}),
      },
      ctx.rng.fold(2),
      ctx.registry,
    );
  } catch (error) {
    encoder.dispose();
    throw error;
  }
  const model = vaeModel({ method, options, encoder, decoder });
  return {
    model,
    players: [
      {
        name: method,
        variables: [...encoder.variables, ...decoder.variables],
        loss: ({ batch, rng }) => tf.tidy(() => tf.neg(tf.mean(bound(model, batch, rng))) as tf.Scalar),
      },
    ],
  };
}

/** Rebuilds a VAE model from a file's maps (roles `encoder`, `decoder`). */
export function loadVaeModel(method: string, parts: ModelParts<z.output<z.ZodObject<typeof vaeSharedShape>>>): VaeModel {
  const encoder = parts.maps.encoder as GaussianEncoder | undefined;
  const decoder = parts.maps.decoder as GaussianDecoder | undefined;
  const typeOf = (m: unknown) => (m as { toSpec?: () => { type: string } })?.toSpec?.().type;
  if (typeOf(encoder) !== 'gaussian-encoder' || typeOf(decoder) !== 'gaussian-decoder') {
    throw new RangeError(
      `${method}: the model file needs maps.encoder (gaussian-encoder) and maps.decoder (gaussian-decoder), found ${Object.entries(parts.maps)
        .map(([role, m]) => `${role}: ${typeOf(m)}`)
        .join(', ')}`,
    );
  }
  if (decoder!.outputDim !== parts.dim) throw new RangeError(`${method}: the decoder outputs R^${decoder!.outputDim}, the model's dim is ${parts.dim}`);
  return vaeModel({ method, options: parts.options, encoder: encoder!, decoder: decoder! });
}
