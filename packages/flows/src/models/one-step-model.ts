// A one-step sampler: the pushforward φ#N(0, I) of a network φ, one function evaluation per sample.
// A conditional network φ(z | c) (a generator with a `condition`) samples x = φ(z | c) for the
// requested c; guidance, where there was any, was applied by the teacher it learned from.
import * as tf from '@tensorflow/tfjs-core';
import { conditionRows, type ConditionBatch, type PushforwardMap, type Rng, type VectorField } from '@pfm/core';
import type { FlowSampleOptions, TransportModel } from './transport-model.js';

/** Options of {@link oneStepModel}. */
export interface OneStepModelOptions {
  method: string;
  options: Record<string, unknown>;
  dim: number;
  generator: PushforwardMap;
  /** Role of the generator in the model file (default `generator`). */
  role?: string;
  /**
   * The networks saved in the model file, by role (default `{ [role]: generator }`): a map that
   * wraps a saved network (eulerStepMap around a velocity field) names the network here.
   */
  maps?: Record<string, PushforwardMap | VectorField>;
  extra?: () => Record<string, unknown>;
  /**
   * Why `guidance` is refused by a conditional model (default: a one-step map has no guidance
   * scale). A distilled map says which scale its teacher used.
   */
  guidanceNote?: string;
}

/**
 * A TransportModel x = φ(z), z ~ N(0, I) (x = φ(z | c) when the generator is conditional);
 * integrator options do not apply and are refused, and so is `guidance`.
 */
export function oneStepModel(o: OneStepModelOptions): TransportModel {
  const { generator } = o;
  if (generator.inputDim !== o.dim || generator.outputDim !== o.dim) {
    throw new RangeError(`${o.method}: generator maps R^${generator.inputDim} → R^${generator.outputDim}, expected R^${o.dim} → R^${o.dim}`);
  }
  const where = `${o.method}.sample`;
  const spec = generator.condition;
  const check = (opts: FlowSampleOptions = {}) => {
    if (opts.stochastic) throw new TypeError(`${where}: a one-step generator has no stochastic sampler`);
    if (opts.integrator !== undefined || opts.steps !== undefined || opts.rtol !== undefined || opts.atol !== undefined || opts.controller !== undefined) {
      throw new TypeError(`${where}: a one-step generator takes no integrator, steps or tolerances (it uses ${generator.nfe} evaluation per sample)`);
    }
    if (spec === undefined) {
      if (opts.condition !== undefined) throw new TypeError(`${where}: "condition" given, but this model is unconditional (trained without labels or context)`);
      if (opts.guidance !== undefined) throw new TypeError(`${where}: "guidance" given, but this model is unconditional (guidance needs a model trained with a condition and conditionDropout > 0)`);
      return;
    }
    if (opts.guidance !== undefined) {
      throw new TypeError(`${where}: "guidance" ${String(opts.guidance)} does not apply to a one-step map; ${o.guidanceNote ?? 'it has no guidance scale'}`);
    }
  };
  /** The condition rows of n samples (tensors made here: call inside tf.tidy). */
  const conditionOf = (n: number, opts: FlowSampleOptions = {}): ConditionBatch | undefined => {
    if (spec === undefined) return undefined;
    if (opts.condition === undefined) {
      const want = spec.kind === 'class' ? `a class label in 0…${spec.classes - 1}` : `a context vector of dimension ${spec.dim}`;
      throw new TypeError(`${where}: this model is conditional; give "condition" (${want}, or one per sample)`);
    }
    return { values: conditionRows(spec, opts.condition, n, `${where}: condition`) };
  };
  const transport = (z: tf.Tensor2D, opts?: FlowSampleOptions) => {
    check(opts);
    return tf.tidy(() => generator.apply(z, conditionOf(z.shape[0], opts)));
  };
  const model: TransportModel = {
    method: o.method,
    options: o.options,
    maps: o.maps ?? { [o.role ?? 'generator']: generator },
    dim: o.dim,
    ...(spec !== undefined ? { condition: spec } : {}),
    nfe: generator.nfe,
    transport,
    sample(n: number, rng: Rng, opts?: FlowSampleOptions) {
      check(opts);
      return tf.tidy(() => generator.apply(rng.normal([n, o.dim]) as tf.Tensor2D, conditionOf(n, opts)));
    },
    nfeFor(opts?: FlowSampleOptions) {
      check(opts);
      return generator.nfe;
    },
    dispose() {
      for (const map of Object.values(model.maps)) map.dispose();
    },
  };
  if (o.extra) model.extra = o.extra;
  return model;
}
