// Data-dependent initialisation through a stack of bijectors: the data enters at the data side
// and is pulled back layer by layer, each layer seeing what it will see in the inverse pass.
import type * as tf from '@tensorflow/tfjs-core';
import type { Bijector } from '@pfm/core';

/** A bijector with a data-dependent initialisation (ActNorm, a chain holding ActNorms). */
export interface DataInitializable {
  /** Initialises from data `[n, dim]` on the data side of the layer (what `inverseAndLogDet` receives). */
  initialize(x: tf.Tensor2D): void;
}

/** Whether `b` has an `initialize(x)` method (ActNorm, chains). */
export function isDataInitializable(b: unknown): b is DataInitializable {
  return typeof (b as Partial<DataInitializable>).initialize === 'function';
}

/** Calls `bijector.initialize(x)` when the bijector has one; `x` is `[n, dim]` data (not owned). */
export function initializeFromData(bijector: Bijector, x: tf.Tensor2D): void {
  if (isDataInitializable(bijector)) bijector.initialize(x);
}
