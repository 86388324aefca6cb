import type * as tf from '@tensorflow/tfjs-core';
import type { Model, SampleOptions } from '@pfm/core';
import type { FlowLogProbOptions } from './flow-log-prob-options.js';
import type { SamplerRef } from './sampler-schema.js';

/**
 * Sampling options of the models of this package: SampleOptions plus adaptive tolerances. `steps`
 * asks for fixed steps, `rtol`/`atol` for adaptive ones; what is not given comes from the
 * model's stored sampler.
 */
export interface FlowSampleOptions extends SampleOptions {
  /** Relative tolerance of an adaptive solve (default 1e-5); setting it makes the solve adaptive. */
  rtol?: number;
  /** Absolute tolerance of an adaptive solve (default 1e-6); setting it makes the solve adaptive. */
  atol?: number;
  /** Step-size controller of an adaptive solve (`pi`, `integral`, or `{ id, options }`; default: the sampler's, else `pi`). */
  controller?: SamplerRef;
}

/**
 * A model that maps given base noise deterministically: `transport(z)` for z ~ N(0, I) `[n, d]`
 * is a sample. A flow integrates its ODE (χ₁ of the paper, NFE = steps × stages); a one-step
 * generator applies its network once. `sample(n, rng)` draws z from rng and transports it
 * (except the stochastic samplers, which also draw path noise).
 */
export interface TransportModel extends Model {
  transport(z: tf.Tensor2D, options?: FlowSampleOptions): tf.Tensor2D;
  nfeFor(options?: FlowSampleOptions): number;
  /**
   * log p(x) `[n]` of a flow at x `[n, d]` by the instantaneous change of variables with chosen
   * solver and divergence estimator (flows only; `logProb(x)` is this with the defaults).
   */
  logProbWith?(x: tf.Tensor2D, options?: FlowLogProbOptions): tf.Tensor1D;
}

/** Whether `model` can map given noise (flows and one-step generators of this package). */
export function isTransportModel(model: Model): model is TransportModel {
  return typeof (model as Partial<TransportModel>).transport === 'function';
}
