import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng/rng.js';
import type { ConditionSpec } from './condition.js';

/**
 * A probability measure on R^dim that can be sampled: the one thing every part of pfm speaks.
 * A trained model of any family is a Measure.
 */
export interface Measure {
  readonly dim: number;
  /**
   * The shape of one sample when it is more than a vector, e.g. `[28, 28, 1]` for grey images
   * (height, width, channels); its product is `dim` and a sample row is the sample flattened in
   * row-major order. Absent: a sample is a vector of `dim` numbers.
   */
  readonly eventShape?: readonly number[];
  /**
   * What the measure is conditioned on, when it is a family of measures μ(· | c): K classes or a
   * context of dimension m. A conditional measure's `sample` takes the condition in its options
   * (`{ condition, guidance }`, see ConditionalSampleOptions). Absent: unconditional.
   */
  readonly condition?: ConditionSpec;
  /** `n` independent samples, `[n, dim]`. */
  sample(n: number, rng: Rng): tf.Tensor2D;
  /** log density at each row of `x` (`[n, dim]` → `[n]`), where the density exists. */
  logProb?(x: tf.Tensor2D): tf.Tensor1D;
}

/** A measure whose density is known. */
export interface DensityMeasure extends Measure {
  logProb(x: tf.Tensor2D): tf.Tensor1D;
}
