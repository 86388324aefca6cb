import { networkSpec, type NetworkConfig, type Registry, type Rng, type VectorField } from '@pfm/core';

/**
 * A time-conditioned network v(t, x) on R^dim from the recipe's `model` options, through the
 * registry (so a bad option names the field `model.<field>`): the map `model.type` names, else a
 * `time-mlp` on vector data and a `unet` when `eventShape` is an image `[h, w, c]`.
 */
export function buildVelocityField(registry: Registry, dim: number, network: NetworkConfig, rng: Rng, eventShape?: readonly number[]): VectorField {
  const spec = networkSpec(network, 'velocity', { inputDim: dim, outputDim: dim }, eventShape);
  const field = registry.create('map', { id: spec.type, options: spec.options }, { rng }, { id: 'model.type', options: 'model' });
  if (typeof (field as Partial<VectorField>).evaluate !== 'function' || (field as VectorField).dim !== dim) {
    field.dispose();
    throw new RangeError(`bad model: model.type: "${spec.type}" does not build a vector field v(t, x) on R^${dim}`);
  }
  return field as VectorField;
}
