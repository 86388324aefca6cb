import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng/rng.js';
import type { Measure } from './measure.js';
import type { PushforwardMap, VectorField } from './map.js';
import type { ConditionalSampleOptions, ConditionSpec } from './condition.js';

/**
 * Options that change how a model draws samples, never what it learned. A conditional model
 * (`model.condition` set) takes `condition` (required) and `guidance` (classifier-free guidance
 * scale, default 1); an unconditional one rejects both.
 */
export interface SampleOptions extends ConditionalSampleOptions {
  /** Integrator id for models that integrate a flow (e.g. `euler`, `rk4`, `dopri5`). */
  integrator?: string;
  /** Number of integration steps for fixed-step integrators. */
  steps?: number;
  /** Draw from the stochastic sampler (reverse SDE, decoder noise) where the model has one. */
  stochastic?: boolean;
}

/** A trained (or freshly initialised) model. Every model of every family is a Measure. */
export interface Model extends Measure {
  /** The objective id that made it (`flow-matching`, `realnvp`, `mmd`, …). */
  readonly method: string;
  /** The validated options of that objective. */
  readonly options: Record<string, unknown>;
  /** The networks that hold its weights, by role (`generator`, `velocity`, `critic`, …). */
  readonly maps: Readonly<Record<string, PushforwardMap | VectorField>>;
  /** Function evaluations per sample with the default sampling options. */
  readonly nfe: number;
  /** What the model is conditioned on (recorded in its model file); absent: unconditional. */
  readonly condition?: ConditionSpec;
  sample(n: number, rng: Rng, options?: SampleOptions): tf.Tensor2D;
  /** The number of function evaluations `sample` uses with these options. */
  nfeFor?(options?: SampleOptions): number;
  /** JSON state that is not a weight (normalisation constants, schedules). */
  extra?(): Record<string, unknown>;
  dispose(): void;
}
