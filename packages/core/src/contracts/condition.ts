import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng/rng.js';
import type { Measure } from './measure.js';

/**
 * What a conditional measure, map or model is conditioned on: a class label c ∈ {0, …, K − 1}
 * (`{ kind: 'class', classes: K }`) or a real context vector c ∈ R^m (`{ kind: 'context', dim: m }`).
 * Recorded in model files (`condition`) and validated on load.
 */
export type ConditionSpec = { readonly kind: 'class'; readonly classes: number } | { readonly kind: 'context'; readonly dim: number };

/**
 * The condition of n rows as a user gives it: for a class spec one label for every row (a number)
 * or one label per row (`ArrayLike<number>` or an int32/float32 tensor `[n]`); for a context spec
 * one vector for every row (`ArrayLike<number>` of length m) or one per row (`[n, m]` tensor, or
 * `ArrayLike<number>` of length n·m, row-major). `conditionRows` checks and converts it.
 */
export type ConditionInput = number | ArrayLike<number> | tf.Tensor;

/**
 * The condition of a batch as maps consume it: `values` are the rows (`[n]` int32 labels for a
 * class spec, `[n, m]` float32 for a context spec); `keep` (`[n]`, 0 or 1, default all 1) says
 * which rows are conditioned. A row with keep 0 gets the map's learned null embedding ∅ instead
 * of its condition's embedding: condition dropout in training and the unconditional branch v_∅ of
 * classifier-free guidance (Ho & Salimans 2022) at sampling.
 */
export interface ConditionBatch {
  readonly values: tf.Tensor;
  readonly keep?: tf.Tensor1D;
}

/** Sampling options of a conditional measure or model. */
export interface ConditionalSampleOptions {
  /** The condition of the samples (see ConditionInput); required by a conditional model. */
  condition?: ConditionInput;
  /**
   * Classifier-free guidance scale w: the model follows v_∅ + w (v_c − v_∅), so w = 0 samples
   * the unconditional model, w = 1 the conditional one and w > 1 sharpens the condition. Needs a
   * model trained with condition dropout; default 1.
   */
  guidance?: number;
}

/**
 * Data with a condition: a measure whose samples come with the condition that produced them
 * (the mode of `8gaussians`, the moon of `moons`, the digit of `mnist`). `sampleWithCondition`
 * draws the same points as `sample` with the same rng, plus their condition rows.
 */
export interface ConditionalSource extends Measure {
  readonly condition: ConditionSpec;
  /** `n` points `[n, dim]` and their condition rows (`[n]` int32 labels or `[n, m]` context). */
  sampleWithCondition(n: number, rng: Rng): { x: tf.Tensor2D; condition: tf.Tensor };
}
