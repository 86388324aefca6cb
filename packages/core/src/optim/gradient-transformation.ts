// Optimizers as chains of gradient transformations with explicit state (the shape of optax,
// Babuschkin et al. 2020): init(params) → state, update(updates, state, params) → [updates, state].
// Updates are kept as a short list of scaled terms u = Σₖ sₖ·aₖ, applied to the parameters one term
// after the other, θ ← (θ + fl(s₀a₀)) + fl(s₁a₁) …, with every scale sₖ kept in float64 until it
// meets its values; that is what lets `adamw` built by `chain` round exactly as a fused loop does.
import type * as tf from '@tensorflow/tfjs-core';

/** One term of an update: the contribution `scale · values[i]` to variable i (`values` aligned with the variables). */
export interface UpdateTerm<T = tf.Tensor> {
  readonly values: readonly T[];
  /** Scalar factor kept in float64; rounded to float32 once, where it multiplies the values. */
  readonly scale: number;
}

/**
 * The update of every variable as terms applied in order: θ ← fl(… fl(θ + fl(s₀·a₀)) + fl(s₁·a₁) …).
 * A transform that needs one plain array per variable calls {@link resolveUpdates} (tensors) or
 * {@link resolveHostUpdates} (host arrays).
 */
export type Updates<T = tf.Tensor> = readonly UpdateTerm<T>[];

/** Slot arrays by slot name (`m`, `v`, …), each aligned with the variables: what a checkpoint saves. */
export type OptimizerSlots<T = tf.Tensor> = Record<string, T[]>;

/** Where the update happens: 0-based `step` of `totalSteps`, and the factor `lrScale` rollbacks put on every learning rate. */
export interface UpdateContext {
  readonly step: number;
  readonly totalSteps: number;
  readonly lrScale: number;
}

/**
 * The same transformation on host float32 arrays (the fast path on cpu, and on wasm for small
 * networks). It must round every operation to float32 in the order its tensor `update` does, so both
 * paths give the same bits. It updates its own slots in place and never writes into the arrays it
 * is given (update values, parameters); it may return its slot arrays as values, which later
 * transforms only read.
 */
export interface HostGradientTransformation {
  /** Zero slots for variables of these shapes. */
  init(shapes: readonly (readonly number[])[]): OptimizerSlots<Float32Array>;
  update(updates: Updates<Float32Array>, state: OptimizerSlots<Float32Array>, params: readonly Float32Array[], context: UpdateContext): Updates<Float32Array>;
}

/**
 * A gradient transformation: `init(params)` makes its state (named slots, one tensor per variable
 * and slot), `update(updates, state, params, context)` maps incoming updates (the gradients, for
 * the first transformation of a chain) to outgoing ones and returns the new state. `update` runs
 * inside `tf.tidy` and must not dispose its inputs. Compose with {@link chain}; the parameters are
 * then moved by θ ← θ + u. Give `host` for the fast path; without it an optimizer runs on tfjs kernels.
 */
export interface GradientTransformation {
  /** Names of the slots `init` makes, in order (`['m', 'v']` for Adam): the checkpoint's slot names. */
  readonly slots: readonly string[];
  init(params: readonly tf.Tensor[]): OptimizerSlots;
  update(updates: Updates, state: OptimizerSlots, params: readonly tf.Tensor[], context: UpdateContext): [Updates, OptimizerSlots];
  readonly host?: HostGradientTransformation;
}
