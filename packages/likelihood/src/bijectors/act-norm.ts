// ActNorm (Kingma & Dhariwal 2018, §3.1): x = z ⊙ exp(a) + b per coordinate, log|det Dψ| = Σ a,
// with data-dependent initialisation: on data x (the data side of the layer), b = mean(x) and
// a = log std(x), so that ψ⁻¹(x) has zero mean and unit variance per coordinate.
import * as tf from '@tensorflow/tfjs-core';
import { reserveParameters } from '@pfm/core';
import { z } from 'zod';
import { defineBijector, type PfmBijector } from './define-bijector.js';
import { scaleShift } from './elementwise-affine.js';
import type { DataInitializable } from './initialize-from-data.js';

/** Options of `act-norm`: dim, the initialised flag, epsilon. */
export const actNormOptionsSchema = z
  .object({
    dim: z.number().int().positive(),
    /**
     * Whether the data-dependent initialisation has happened (kept in the spec, so a reloaded
     * model is never re-initialised).
     */
    initialized: z.boolean().default(false),
    /** Added to the standard deviation at initialisation (guards constant coordinates). */
    epsilon: z.number().positive().default(1e-6),
  })
  .strict();

/** Options accepted by `actNorm`. */
export type ActNormOptions = z.input<typeof actNormOptionsSchema>;

/** ActNorm: a trainable elementwise affine bijector with data-dependent initialisation. */
export interface ActNorm extends PfmBijector<z.output<typeof actNormOptionsSchema>>, DataInitializable {
  readonly initialized: boolean;
}

let counter = 0;

/**
 * ActNorm bijector `[n, dim]` → `[n, dim]`. It is initialised by `initialize(x)` (the flow
 * objectives call it with the training data) or else on first use: a first inverse call
 * initialises from its input, a first forward call keeps the identity.
 * Source: Kingma & Dhariwal, "Glow: Generative flow with invertible 1×1 convolutions", NeurIPS 2018.
 */
export function actNorm(options: ActNormOptions): ActNorm {
  const parsed = actNormOptionsSchema.parse(options);
  reserveParameters(2 * parsed.dim, `act-norm (dim ${parsed.dim})`);
  let initialized = parsed.initialized;
  const scope = `act-norm${counter++}`;
  const logScale = tf.tidy(() => tf.variable(tf.zeros([parsed.dim]), true, `${scope}/log-scale`)) as tf.Variable<tf.Rank.R1>;
  const shift = tf.tidy(() => tf.variable(tf.zeros([parsed.dim]), true, `${scope}/shift`)) as tf.Variable<tf.Rank.R1>;
  const initialize = (x: tf.Tensor2D): void => {
    if (x.rank !== 2 || x.shape[1] !== parsed.dim || x.shape[0] < 1) {
      throw new RangeError(`act-norm: initialize expects data [n ≥ 1, ${parsed.dim}], got [${x.shape.join(', ')}]`);
    }
    tf.tidy(() => {
      const { mean, variance } = tf.moments(x, 0);
      shift.assign(mean as tf.Tensor1D);
      logScale.assign(tf.log(tf.add(tf.sqrt(variance), parsed.epsilon)) as tf.Tensor1D);
    });
    initialized = true;
  };
  const base = defineBijector({
    type: 'act-norm',
    dim: parsed.dim,
    variables: [logScale, shift],
    options: () => ({ ...parsed, initialized }),
    forward(zIn) {
      initialized = true;
      return scaleShift(zIn, logScale, shift, false);
    },
    inverse(x) {
      if (!initialized) initialize(x);
      return scaleShift(x, logScale, shift, true);
    },
  });
  Object.defineProperty(base, 'initialized', { get: () => initialized, enumerable: true });
  return Object.assign(base, { initialize }) as ActNorm;
}
