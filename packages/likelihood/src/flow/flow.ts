// A normalising flow: the pushforward ψ#p₀ of a base density by a bijector, with density by the
// change of variables (paper, §3; Rezende & Mohamed 2015, eq. 1):
//   log p(x) = log p₀(ψ⁻¹(x)) + log|det Dψ⁻¹(x)|,  and for x = ψ(z): log p(x) = log p₀(z) − log|det Dψ(z)|.
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, DensityMeasure, Rng } from '@pfm/core';
import { checkRows } from '../bijectors/define-bijector.js';

/** ψ#p₀ as a Measure with an exact density. */
export interface Flow extends DensityMeasure {
  /** The pushforward map ψ (noise → data). */
  readonly map: Bijector;
  /** The base measure p₀. */
  readonly base: DensityMeasure;
  /** `n` samples `[n, dim]`. */
  sample(n: number, rng: Rng): tf.Tensor2D;
  /** log p(x) for each row of `x` `[n, dim]` → `[n]`. */
  logProb(x: tf.Tensor2D): tf.Tensor1D;
  /** `n` samples `[n, dim]` and their log densities `[n]`, in one forward pass. */
  sampleAndLogProb(n: number, rng: Rng): [tf.Tensor2D, tf.Tensor1D];
}

/**
 * The flow ψ#p₀ (`[n, dim]` rows): samples x = ψ(z), z ~ p₀, and exact log-densities by the
 * change of variables p(x) = p₀(ψ⁻¹(x)) |det Dψ⁻¹(x)|. Does not own `bijector` or `base`.
 * Source: Cabannes, "Touring sampling with pushforward maps", arXiv 2311.13845, §3; Rezende &
 * Mohamed, "Variational inference with normalizing flows", ICML 2015.
 */
export function flow(bijector: Bijector, base: DensityMeasure): Flow {
  if (bijector.inputDim !== base.dim || bijector.outputDim !== base.dim) {
    throw new RangeError(`flow: the bijector maps R^${bijector.inputDim} → R^${bijector.outputDim}, the base measure lives in R^${base.dim}`);
  }
  const dim = base.dim;
  return {
    dim,
    map: bijector,
    base,
    sample(n: number, rng: Rng): tf.Tensor2D {
      return tf.tidy(() => bijector.apply(base.sample(n, rng)));
    },
    logProb(x: tf.Tensor2D): tf.Tensor1D {
      checkRows(x, dim, 'flow.logProb');
      return tf.tidy(() => {
        const [z, logDet] = bijector.inverseAndLogDet(x);
        return tf.add(base.logProb(z), logDet) as tf.Tensor1D;
      });
    },
    sampleAndLogProb(n: number, rng: Rng): [tf.Tensor2D, tf.Tensor1D] {
      return tf.tidy(() => {
        const z = base.sample(n, rng);
        const [x, logDet] = bijector.forwardAndLogDet(z);
        return [x, tf.sub(base.logProb(z), logDet) as tf.Tensor1D];
      });
    },
  };
}
