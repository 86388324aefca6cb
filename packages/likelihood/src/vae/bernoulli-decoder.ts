// A VAE decoder for data in [0, 1] with logits ℓ = φ(z) (Kingma & Welling 2014, appendix C.1):
//   bernoulli:             log p(x | z) = Σ_i [x_i ℓ_i − softplus(ℓ_i)]   (binary cross-entropy),
//   continuous-bernoulli:  log p(x | z) = Σ_i [x_i ℓ_i − softplus(ℓ_i) + log C(ℓ_i)]
// (Loaiza-Ganem & Cunningham 2019). The first is a probability of binary x (a pmf on {0, 1}^d), the
// usual "BCE" VAE loss; on grey values it is not a likelihood of anything. The second is a
// density on [0, 1]^d, so its ELBO bounds log p(x̃) of dequantised pixels and gives bits per dimension.
// With `condition` the logits are φ(z, c): the conditional VAE's p(x | z, c) (Sohn et al. 2015).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ACTIVATIONS, conditionOptionsSchema, mlp, type Registry, type Rng } from '@pfm/core';
import { buildNetwork, withCondition } from './build-network.js';
import type { VaeDecoder } from './vae-decoder.js';
import { continuousBernoulliLogNormalizer } from './continuous-bernoulli-log-normalizer.js';

/** Options of `bernoulli-decoder`: latent and output dimensions, MLP widths and activation, and which Bernoulli. */
export const bernoulliDecoderOptionsSchema = z
  .object({
    latentDim: z.number().int().positive(),
    outputDim: z.number().int().positive(),
    hidden: z.array(z.number().int().positive()).default([32, 32]),
    activation: z.enum(ACTIVATIONS).default('silu'),
    /** The continuous Bernoulli (a density on [0, 1]) instead of the Bernoulli (a pmf on {0, 1}). */
    continuous: z.boolean().default(false),
    /**
     * The logit network φ: R^latentDim → R^outputDim as a registry map `{ type, options }` (e.g. a
     * `conv-generator` with a linear output on images) instead of the MLP of `hidden` and `activation`.
     */
    network: z.object({ type: z.string().min(1), options: z.record(z.string(), z.unknown()) }).strict().optional(),
    /**
     * Makes the decoder p(x | z, c): the class or context embedding the `mlp` option `condition`
     * describes joined to the latent (with `network`, given to that map as its `condition` option).
     */
    condition: conditionOptionsSchema.optional(),
  })
  .strict();

/** Options accepted by `bernoulliDecoder`. */
export type BernoulliDecoderOptions = z.input<typeof bernoulliDecoderOptionsSchema>;

/** A Bernoulli or continuous-Bernoulli decoder; `apply(z)` returns the mean E[x | z]. */
export interface BernoulliDecoder extends VaeDecoder {
  readonly options: z.output<typeof bernoulliDecoderOptionsSchema>;
}

/** Logits are clipped to ±LOGIT_BOUND for the continuous Bernoulli's mean and draws (e^ℓ stays finite in float32). */
const LOGIT_BOUND = 80;

/**
 * Bernoulli (or continuous Bernoulli) decoder with logits ℓ = φ(z), φ an MLP `[n, latentDim]` → `[n, outputDim]`
 * or the map `options.network` names (built through `registry`, which it then needs).
 * Means: σ(ℓ) (Bernoulli), 1/(1 − e^−ℓ) − 1/ℓ (continuous, → ½ as ℓ → 0). Draws: 1[u < σ(ℓ)], or the
 * inverse CDF x = log(1 + u (e^ℓ − 1))/ℓ.
 * Source: Kingma & Welling, "Auto-encoding variational Bayes", ICLR 2014, appendix C.1;
 * Loaiza-Ganem & Cunningham, "The continuous Bernoulli: fixing a pervasive error in variational autoencoders", NeurIPS 2019.
 */
export function bernoulliDecoder(options: BernoulliDecoderOptions, rng: Rng, registry?: Registry): BernoulliDecoder {
  const parsed = bernoulliDecoderOptionsSchema.parse(options);
  const condition = parsed.condition ? { condition: parsed.condition } : {};
  const net = parsed.network
    ? buildNetwork(withCondition(parsed.network, parsed.condition), { inputDim: parsed.latentDim, outputDim: parsed.outputDim }, rng, registry, 'bernoulli-decoder')
    : mlp({ inputDim: parsed.latentDim, outputDim: parsed.outputDim, hidden: parsed.hidden, activation: parsed.activation, ...condition }, rng);
  const mean = (logits: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => {
      if (!parsed.continuous) return tf.sigmoid(logits) as tf.Tensor2D;
      const l = tf.clipByValue(logits, -LOGIT_BOUND, LOGIT_BOUND);
      const small = tf.less(tf.abs(l), 1e-3);
      const safe = tf.where(small, tf.fill(l.shape, 1e-3), l);
      const exact = tf.sub(tf.div(-1, tf.expm1(tf.neg(safe))), tf.div(1, safe)); // 1/(1 − e^−ℓ) − 1/ℓ
      return tf.where(small, tf.add(0.5, tf.div(l, 12)), exact) as tf.Tensor2D;
    });
  return {
    inputDim: parsed.latentDim,
    outputDim: parsed.outputDim,
    latentDim: parsed.latentDim,
    options: parsed,
    ...(net.condition ? { condition: net.condition } : {}),
    variables: [...net.variables],
    nfe: 1,
    apply: (zIn, c) => tf.tidy(() => mean(net.apply(zIn, c))),
    parameters: (zIn, c) => net.apply(zIn, c),
    logLikelihood(x, logits) {
      return tf.tidy(() => {
        const terms = tf.sub(tf.mul(x, logits), tf.softplus(logits));
        return tf.sum(parsed.continuous ? tf.add(terms, continuousBernoulliLogNormalizer(logits)) : terms, 1) as tf.Tensor1D;
      });
    },
    mean,
    draw(logits, drawRng) {
      return tf.tidy(() => {
        const u = drawRng.uniform(logits.shape);
        if (!parsed.continuous) return tf.cast(tf.less(u, tf.sigmoid(logits)), 'float32') as tf.Tensor2D;
        const l = tf.clipByValue(logits, -LOGIT_BOUND, LOGIT_BOUND);
        const small = tf.less(tf.abs(l), 1e-3);
        const safe = tf.where(small, tf.fill(l.shape, 1e-3), l);
        const x = tf.div(tf.log1p(tf.mul(u, tf.expm1(safe))), safe);
        return tf.clipByValue(tf.where(small, u, x), 0, 1) as tf.Tensor2D;
      });
    },
    toSpec: () => ({ type: 'bernoulli-decoder', options: { ...parsed } }),
    dispose: () => net.dispose(),
  };
}
