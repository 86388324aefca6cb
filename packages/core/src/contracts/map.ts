import type * as tf from '@tensorflow/tfjs-core';
import type { ConditionBatch, ConditionSpec } from './condition.js';

/** How a map is rebuilt from a file: its registry id and validated options. */
export interface MapSpec {
  type: string;
  options: Record<string, unknown>;
}

/**
 * A map φ: R^inputDim → R^outputDim with trainable variables, applied row-wise.
 * Variables are `tf.Variable`s with unique names inside the map; their order is the
 * order of the weights in a model file.
 */
export interface PushforwardMap {
  readonly inputDim: number;
  readonly outputDim: number;
  /** What `apply` takes as condition, when the map is conditional (absent: it takes none). */
  readonly condition?: ConditionSpec;
  /**
   * `[n, inputDim]` → `[n, outputDim]`. A conditional map needs `condition` (its rows match z's);
   * an unconditional one rejects it.
   */
  apply(z: tf.Tensor2D, condition?: ConditionBatch): tf.Tensor2D;
  readonly variables: readonly tf.Variable[];
  /** Function evaluations per `apply` (1 for a network, the step count for an integrated flow). */
  readonly nfe: number;
  /** The spec that rebuilds this map (weights excluded). */
  toSpec(): MapSpec;
  dispose(): void;
}

/**
 * An invertible map ψ with tractable Jacobian log-determinant.
 * `forwardAndLogDet(z)` returns x = ψ(z) and log|det Dψ(z)|; `inverseAndLogDet(x)` returns
 * z = ψ⁻¹(x) and log|det Dψ⁻¹(x)|; one pass for both (the zuko/distrax shape).
 */
export interface Bijector extends PushforwardMap {
  /** A conditional bijector ψ(· | c) (`condition` set) takes the rows' condition in both directions. */
  forwardAndLogDet(z: tf.Tensor2D, condition?: ConditionBatch): [tf.Tensor2D, tf.Tensor1D];
  inverseAndLogDet(x: tf.Tensor2D, condition?: ConditionBatch): [tf.Tensor2D, tf.Tensor1D];
}

export function isBijector(map: PushforwardMap): map is Bijector {
  const m = map as Partial<Bijector>;
  return typeof m.forwardAndLogDet === 'function' && typeof m.inverseAndLogDet === 'function';
}

/** A time-dependent vector field v(t, x) on R^dim (a velocity or a score). */
export interface VectorField {
  readonly dim: number;
  /** What `evaluate` takes as condition, when the field is conditional (absent: it takes none). */
  readonly condition?: ConditionSpec;
  /**
   * `t`: `[n]` or a scalar broadcast to every row; `x`: `[n, dim]` → `[n, dim]`. A conditional
   * field needs `condition` (rows matching x's), v(t, x | c).
   */
  evaluate(t: tf.Tensor | number, x: tf.Tensor2D, condition?: ConditionBatch): tf.Tensor2D;
  readonly variables: readonly tf.Variable[];
  toSpec(): MapSpec;
  dispose(): void;
}
