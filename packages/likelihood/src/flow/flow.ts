// A normalising flow: the pushforward ψ#p₀ of a base density by a bijector, with density by the
// change of variables (paper, §3; Rezende & Mohamed 2015, eq. 1):
//   log p(x) = log p₀(ψ⁻¹(x)) + log|det Dψ⁻¹(x)|,  and for x = ψ(z): log p(x) = log p₀(z) − log|det Dψ(z)|.
// With a conditional bijector ψ(· | c) the same formulas give p(x | c) (a conditional flow, as in
// nflows / zuko with `context`); the condition rows go with x or z.
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, ConditionBatch, DensityMeasure, Rng } from '@pfm/core';
import { checkRows } from '../bijectors/define-bijector.js';

/** ψ#p₀ as a Measure with an exact density. */
export interface Flow extends DensityMeasure {
  /** The pushforward map ψ (noise → data). */
  readonly map: Bijector;
  /** The base measure p₀. */
  readonly base: DensityMeasure;
  /** `n` samples `[n, dim]` (given the rows' condition, for a conditional bijector). */
  sample(n: number, rng: Rng, condition?: ConditionBatch): tf.Tensor2D;
  /** log p(x) (log p(x | c) for a conditional bijector) for each row of `x` `[n, dim]` → `[n]`. */
  logProb(x: tf.Tensor2D, condition?: ConditionBatch): tf.Tensor1D;
  /** `n` samples `[n, dim]` and their log densities `[n]`, in one forward pass. */
  sampleAndLogProb(n: number, rng: Rng, condition?: ConditionBatch): [tf.Tensor2D, tf.Tensor1D];
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
    sample(n: number, rng: Rng, condition?: ConditionBatch): tf.Tensor2D {
      return tf.tidy(() => (condition ? bijector.apply(base.sample(n, rng), condition) : bijector.apply(base.sample(n, rng))));
    },
    logProb(x: tf.Tensor2D, condition?: ConditionBatch): tf.Tensor1D {
      checkRows(x, dim, 'flow.logProb');
      return tf.tidy(() => {
        const [z, logDet] = condition ? bijector.inverseAndLogDet(x, condition) : bijector.inverseAndLogDet(x);
        return tf.add(base.logProb(z), logDet) as tf.Tensor1D;
      });
    },
    sampleAndLogProb(n: number, rng: Rng, condition?: ConditionBatch): [tf.Tensor2D, tf.Tensor1D] {
      return tf.tidy(() => {
        const z = base.sample(n, rng);
        const [x, logDet] = condition ? bijector.forwardAndLogDet(z, condition) : bijector.forwardAndLogDet(z);
        return [x, tf.sub(base.logProb(z), logDet) as tf.Tensor1D];
      });
    },
  };
}
