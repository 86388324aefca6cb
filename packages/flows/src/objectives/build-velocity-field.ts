import { type ConditionSpec, type NetworkConfig, type Registry, type Rng, type VectorField } from '@pfm/core';
import { conditionedNetworkSpec } from './conditioned-network-spec.js';

/**
 * A time-conditioned network v(t, x) on R^dim from the recipe's `model` options, through the
 * registry (so a bad option names the field `model.<field>`): the map `model.type` names, else a
 * `time-mlp` on vector data and a `unet` when `eventShape` is an image `[h, w, c]`.
 * With `condition` the field is v(t, x | c): the map gets the option `condition` with the classes
 * or the context dimension of the data, merged over `model.condition` (where a recipe chooses
 * `join: 'concat' | 'film'` and `embeddingDim`).
 */
export function buildVelocityField(
  registry: Registry,
  dim: number,
  network: NetworkConfig,
  rng: Rng,
  eventShape?: readonly number[],
  condition?: ConditionSpec,
): VectorField {
  const spec = conditionedNetworkSpec(network, 'velocity', dim, eventShape, condition);
  const field = registry.create('map', { id: spec.type, options: spec.options }, { rng }, { id: 'model.type', options: 'model' });
  if (typeof (field as Partial<VectorField>).evaluate !== 'function' || (field as VectorField).dim !== dim) {
    field.dispose();
    throw new RangeError(`bad model: model.type: "${spec.type}" does not build a vector field v(t, x) on R^${dim}`);
  }
  return field as VectorField;
}
