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

/** Arguments of {@link normalizingFlowModel}. */
export interface NormalizingFlowModelArgs {
  /** The objective id recorded in the model (e.g. `flow-mle`). */
  method: string;
  /** The objective's options, recorded in the model. */
  options: Record<string, unknown>;
  /** ψ: noise → data (owned by the model). */
  bijector: Bijector;
}

/**
 * A normalizing flow as a Model: the bijector ψ (noise → data) pushes the base N(0, I_dim)
 * forward, so samples are x = ψ(z) and log p(x) = log N(ψ⁻¹(x); 0, I) + log|det Dψ⁻¹(x)| is exact.
 * The model owns the bijector. (Not to be confused with `@pfm/flows`' `flowModel`, a velocity
 * field integrated by an ODE solver.)
 * Source: Cabannes, "Touring sampling with pushforward maps", arXiv 2311.13845, §3.
 */
export function normalizingFlowModel(args: NormalizingFlowModelArgs): FlowModel {
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

/**
 * @deprecated Renamed {@link normalizingFlowModel} (the name clashed with `@pfm/flows`' `flowModel`,
 * which builds an ODE model from a velocity field); this alias goes in the next minor release.
 */
export const flowModel: (args: NormalizingFlowModelArgs) => FlowModel = normalizingFlowModel;
