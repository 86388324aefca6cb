// The decoder of a VAE: p(x | z) = N(φ(z), σ² I) with φ an MLP and σ fixed or learned (with
// `condition`, the conditional VAE's p(x | z, c) = N(φ(z, c), σ² I), Sohn et al. 2015);
//   log p(x | z) = −½ d log 2π − d log σ − ‖x − φ(z)‖² / (2σ²)   (Kingma & Welling 2014, appendix C.2).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ACTIVATIONS, conditionOptionsSchema, mlp, type Registry, type Rng } from '@pfm/core';
import { buildNetwork, withCondition } from './build-network.js';
import type { VaeDecoder } from './vae-decoder.js';

/** Options of `gaussian-decoder`: latent and output dimensions, MLP widths and activation, σ and whether it is learned. */
export const gaussianDecoderOptionsSchema = z
  .object({
    latentDim: z.number().int().positive(),
    outputDim: z.number().int().positive(),
    hidden: z.array(z.number().int().positive()).default([32, 32]),
    activation: z.enum(ACTIVATIONS).default('silu'),
    /** σ of p(x | z): its value when fixed, its initial value when learned. */
    std: z.number().positive().default(1),
    /** Learn σ (one scalar log σ variable) by maximising the bound. */
    learnStd: z.boolean().default(true),
    /**
     * The mean network φ: R^latentDim → R^outputDim as a registry map `{ type, options }` (e.g. a
     * `conv-generator` on images) instead of the MLP of `hidden` and `activation`.
     */
    network: z.object({ type: z.string().min(1), options: z.record(z.string(), z.unknown()) }).strict().optional(),
    /**
     * Makes the decoder p(x | z, c): the class or context embedding the `mlp` option `condition`
     * describes joined to the latent (with `network`, given to that map as its `condition` option).
     */
    condition: conditionOptionsSchema.optional(),
  })
  .strict();

/** Options accepted by `gaussianDecoder`. */
export type GaussianDecoderOptions = z.input<typeof gaussianDecoderOptionsSchema>;

/** A Gaussian decoder; `apply(z)` and `parameters(z)` return the mean φ(z) `[n, outputDim]`. */
export interface GaussianDecoder extends VaeDecoder {
  readonly options: z.output<typeof gaussianDecoderOptionsSchema>;
  /** log σ as a `[1]` tensor (a new tensor; the variable's value when learned). */
  logStd(): tf.Tensor1D;
  /** log N(x; mean, σ² I) per row: `x`, `mean` `[n, outputDim]` → `[n]`. */
  logLikelihood(x: tf.Tensor2D, mean: tf.Tensor2D): tf.Tensor1D;
}

let counter = 0;

/**
 * Gaussian decoder p(x | z) = N(φ(z), σ² I), φ `[n, latentDim]` → `[n, outputDim]` an MLP, or the
 * map `options.network` names (built through `registry`, which it then needs).
 * Source: Kingma & Welling, "Auto-encoding variational Bayes", ICLR 2014, appendix C.2.
 */
export function gaussianDecoder(options: GaussianDecoderOptions, rng: Rng, registry?: Registry): GaussianDecoder {
  const parsed = gaussianDecoderOptionsSchema.parse(options);
  const d = parsed.outputDim;
  const condition = parsed.condition ? { condition: parsed.condition } : {};
  const net = parsed.network
    ? buildNetwork(withCondition(parsed.network, parsed.condition), { inputDim: parsed.latentDim, outputDim: d }, rng, registry, 'gaussian-decoder')
    : mlp({ inputDim: parsed.latentDim, outputDim: d, hidden: parsed.hidden, activation: parsed.activation, ...condition }, rng);
  const logStdVar = parsed.learnStd
    ? tf.tidy(() => tf.variable(tf.fill([1], Math.log(parsed.std)), true, `gaussian-decoder${counter++}/log-std`))
    : null;
  const logStd = (): tf.Tensor1D => (logStdVar ? (tf.clone(logStdVar) as tf.Tensor1D) : tf.fill([1], Math.log(parsed.std)) as tf.Tensor1D);
  return {
    inputDim: parsed.latentDim,
    outputDim: d,
    latentDim: parsed.latentDim,
    options: parsed,
    ...(net.condition ? { condition: net.condition } : {}),
    variables: logStdVar ? [...net.variables, logStdVar] : [...net.variables],
    nfe: 1,
    apply: (zIn, c) => net.apply(zIn, c),
    parameters: (zIn, c) => net.apply(zIn, c),
    mean: (params) => params,
    draw: (params, drawRng) => tf.tidy(() => tf.add(params, tf.mul(drawRng.normal(params.shape), tf.exp(logStd()))) as tf.Tensor2D),
    logStd,
    logLikelihood(x, mean) {
      return tf.tidy(() => {
        const ls = logStd();
        const sq = tf.sum(tf.square(tf.sub(x, mean)), 1);
        const quad = tf.mul(sq, tf.mul(tf.exp(tf.mul(ls, -2)), -0.5));
        return tf.sub(quad, tf.add(tf.mul(ls, d), 0.5 * d * Math.log(2 * Math.PI))) as tf.Tensor1D;
      });
    },
    toSpec: () => ({ type: 'gaussian-decoder', options: { ...parsed } }),
    dispose: () => {
      net.dispose();
      logStdVar?.dispose();
    },
  };
}
