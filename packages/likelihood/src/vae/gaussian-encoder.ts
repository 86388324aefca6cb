// The encoder of a VAE: q(z | x) = N(m(x), diag s(x)²) with (m, log s) = NN(x)
// (Kingma & Welling 2014, §3, "Gaussian encoder"). With `condition`, the conditional VAE's
// q(z | x, c) = N(m(x, c), diag s(x, c)²), the condition embedding joined to the network's input
// (Sohn, Lee & Yan 2015, "Learning structured output representation using deep conditional
// generative models", §3.1).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ACTIVATIONS, conditionOptionsSchema, mlp, type ConditionBatch, type PushforwardMap, type Registry, type Rng } from '@pfm/core';
import { takeColumns } from '../bijectors/take-columns.js';
import { buildNetwork, withCondition } from './build-network.js';

/** Options of `gaussian-encoder`: input and latent dimensions, MLP widths and activation, or another network. */
export const gaussianEncoderOptionsSchema = z
  .object({
    inputDim: z.number().int().positive(),
    latentDim: z.number().int().positive(),
    hidden: z.array(z.number().int().positive()).default([32, 32]),
    activation: z.enum(ACTIVATIONS).default('silu'),
    /**
     * The network NN: R^inputDim → R^(2·latentDim) as a registry map `{ type, options }` (e.g. a
     * `conv-encoder` on images) instead of the MLP of `hidden` and `activation`.
     */
    network: z.object({ type: z.string().min(1), options: z.record(z.string(), z.unknown()) }).strict().optional(),
    /**
     * Makes the encoder q(z | x, c): the class or context embedding the `mlp` option `condition`
     * describes (with `network`, given to that map as its `condition` option). Absent: q(z | x).
     */
    condition: conditionOptionsSchema.optional(),
  })
  .strict();

/** Options accepted by `gaussianEncoder`. */
export type GaussianEncoderOptions = z.input<typeof gaussianEncoderOptionsSchema>;

/** A Gaussian encoder; `apply(x)` returns `[n, 2·latentDim]` = (m(x), log s(x)) side by side. */
export interface GaussianEncoder extends PushforwardMap {
  readonly options: z.output<typeof gaussianEncoderOptionsSchema>;
  readonly latentDim: number;
  /**
   * Mean `[n, latentDim]` and log standard deviation `[n, latentDim]` of q(z | x) for `x`
   * `[n, inputDim]`; of q(z | x, c) for a conditional encoder, which needs the rows' `condition`.
   */
  encode(x: tf.Tensor2D, condition?: ConditionBatch): { mean: tf.Tensor2D; logStd: tf.Tensor2D };
}

/**
 * Gaussian encoder q(z | x) = N(m(x), diag exp(2 log s(x))) with a network `[n, inputDim]` → `[n, 2·latentDim]`:
 * an MLP, or the map `options.network` names (built through `registry`, which it then needs).
 * Source: Kingma & Welling, "Auto-encoding variational Bayes", ICLR 2014, §3 and appendix C.2.
 */
export function gaussianEncoder(options: GaussianEncoderOptions, rng: Rng, registry?: Registry): GaussianEncoder {
  const parsed = gaussianEncoderOptionsSchema.parse(options);
  const k = parsed.latentDim;
  const condition = parsed.condition ? { condition: parsed.condition } : {};
  const net = parsed.network
    ? buildNetwork(withCondition(parsed.network, parsed.condition), { inputDim: parsed.inputDim, outputDim: 2 * k }, rng, registry, 'gaussian-encoder')
    : mlp({ inputDim: parsed.inputDim, outputDim: 2 * k, hidden: parsed.hidden, activation: parsed.activation, ...condition }, rng);
  return {
    inputDim: parsed.inputDim,
    outputDim: 2 * k,
    latentDim: k,
    options: parsed,
    ...(net.condition ? { condition: net.condition } : {}),
    variables: net.variables,
    nfe: 1,
    apply: (x, c) => net.apply(x, c),
    encode(x, c) {
      const h = net.apply(x, c);
      const out = tf.tidy(() => ({ mean: takeColumns(h, 0, k), logStd: takeColumns(h, k, k) }));
      h.dispose();
      return out;
    },
    toSpec: () => ({ type: 'gaussian-encoder', options: { ...parsed } }),
    dispose: () => net.dispose(),
  };
}
