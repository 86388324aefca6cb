// A one-step sampler: the pushforward φ#N(0, I) of a network φ, one function evaluation per sample.
import * as tf from '@tensorflow/tfjs-core';
import type { PushforwardMap, Rng } from '@pfm/core';
import type { FlowSampleOptions, TransportModel } from './transport-model.js';

/** Options of {@link oneStepModel}. */
export interface OneStepModelOptions {
  method: string;
  options: Record<string, unknown>;
  dim: number;
  generator: PushforwardMap;
  /** Role of the generator in the model file (default `generator`). */
  role?: string;
  extra?: () => Record<string, unknown>;
}

/** A TransportModel x = φ(z), z ~ N(0, I); integrator options do not apply and are refused. */
export function oneStepModel(o: OneStepModelOptions): TransportModel {
  const { generator } = o;
  if (generator.inputDim !== o.dim || generator.outputDim !== o.dim) {
    throw new RangeError(`${o.method}: generator maps R^${generator.inputDim} → R^${generator.outputDim}, expected R^${o.dim} → R^${o.dim}`);
  }
  const check = (opts: FlowSampleOptions = {}) => {
    if (opts.stochastic) throw new TypeError(`${o.method}.sample: a one-step generator has no stochastic sampler`);
    if (opts.integrator !== undefined || opts.steps !== undefined || opts.rtol !== undefined || opts.atol !== undefined || opts.controller !== undefined) {
      throw new TypeError(`${o.method}.sample: a one-step generator takes no integrator, steps or tolerances (it uses ${generator.nfe} evaluation per sample)`);
    }
  };
  const transport = (z: tf.Tensor2D, opts?: FlowSampleOptions) => {
    check(opts);
    return generator.apply(z);
  };
  const model: TransportModel = {
    method: o.method,
    options: o.options,
    maps: { [o.role ?? 'generator']: generator },
    dim: o.dim,
    nfe: generator.nfe,
    transport,
    sample(n: number, rng: Rng, opts?: FlowSampleOptions) {
      check(opts);
      return tf.tidy(() => generator.apply(rng.normal([n, o.dim]) as tf.Tensor2D));
    },
    nfeFor(opts?: FlowSampleOptions) {
      check(opts);
      return generator.nfe;
    },
    dispose() {
      generator.dispose();
    },
  };
  if (o.extra) model.extra = o.extra;
  return model;
}
