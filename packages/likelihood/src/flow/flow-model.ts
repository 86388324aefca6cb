// A trained flow as a pfm Model: samples x = ψ(z), z ~ N(0, I), and the exact density
//   log p(x) = log N(ψ⁻¹(x); 0, I) + log|det Dψ⁻¹(x)|   (paper, §3, change of variables).
import * as tf from '@tensorflow/tfjs-core';
import { gaussian, type Bijector, type Model, type Rng, type SampleOptions } from '@pfm/core';
import { flow, type Flow } from './flow.js';

/** A flow model: a Model whose `logProb` is exact. The map role is `flow`. */
export interface FlowModel extends Model {
  readonly maps: { flow: Bijector };
  /** The measure ψ#N(0, I). */
  readonly flow: Flow;
  /** Exact log density `[n, dim]` → `[n]`. */
  logProb(x: tf.Tensor2D): tf.Tensor1D;
  /** Samples `[n, dim]` with their log densities `[n]`. */
  sampleAndLogProb(n: number, rng: Rng): [tf.Tensor2D, tf.Tensor1D];
}

/**
 * Wraps a bijector ψ (noise → data) and the base N(0, I_dim) as a Model (owns the bijector).
 * Source: Cabannes, "Touring sampling with pushforward maps", arXiv 2311.13845, §3.
 */
export function flowModel(args: { method: string; options: Record<string, unknown>; bijector: Bijector }): FlowModel {
  const { bijector } = args;
  const measure = flow(bijector, gaussian({ dim: bijector.inputDim }));
  return {
    method: args.method,
    options: args.options,
    maps: { flow: bijector },
    dim: measure.dim,
    nfe: 1,
    flow: measure,
    sample(n: number, rng: Rng, _options?: SampleOptions): tf.Tensor2D {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`${args.method}: sample count must be a non-negative integer, got ${n}`);
      return measure.sample(n, rng);
    },
    nfeFor: () => 1,
    logProb: (x) => measure.logProb(x),
    sampleAndLogProb: (n, rng) => measure.sampleAndLogProb(n, rng),
    extra: () => ({}),
    dispose: () => bijector.dispose(),
  };
}
