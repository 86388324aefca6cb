// χ: the flow of a model as a pushforward map z ↦ x with a known cost (Cabannes, section 4: every
// flow sampler is a pushforward map; its price is the number of function evaluations).
import type * as tf from '@tensorflow/tfjs-core';
import type { Model, PushforwardMap } from '@pfm/core';
import { isTransportModel } from './transport-model.js';

/**
 * The pushforward map of a model: `apply(z)` integrates the flow from z with `integrator` and
 * `steps` (`nfe` = steps × stages); for a one-step generator, the generator itself. The map
 * shares the model's weights (disposing it does nothing); save the model, not the map.
 */
export function asMap(model: Model, integrator?: string, steps?: number): PushforwardMap {
  if (!isTransportModel(model)) {
    throw new TypeError(`asMap: a ${model.method} model does not map noise to samples (it has no transport(z)); flows and one-step generators do`);
  }
  const oneStep = model.nfeFor() === 1 && Object.keys(model.maps).includes('generator');
  const options = oneStep ? {} : { ...(integrator !== undefined ? { integrator } : {}), ...(steps !== undefined ? { steps } : {}) };
  const nfe = model.nfeFor(options);
  return {
    inputDim: model.dim,
    outputDim: model.dim,
    nfe,
    variables: Object.values(model.maps).flatMap((m) => [...m.variables]),
    apply: (z: tf.Tensor2D) => model.transport(z, options),
    toSpec() {
      throw new TypeError(`asMap(${model.method}): an integrated flow is not a registry map; save the model itself (modelToContent)`);
    },
    dispose() {},
  };
}
