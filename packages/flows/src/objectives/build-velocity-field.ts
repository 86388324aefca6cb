import { networkSpec, type ConditionSpec, type NetworkConfig, type Registry, type Rng, type VectorField } from '@pfm/core';

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
  const spec = networkSpec(network, 'velocity', { inputDim: dim, outputDim: dim }, eventShape);
  if (condition !== undefined) {
    const given = typeof spec.options.condition === 'object' && spec.options.condition !== null ? (spec.options.condition as Record<string, unknown>) : {};
    const { classes: _classes, contextDim: _contextDim, ...chosen } = given;
    const size = condition.kind === 'class' ? { classes: condition.classes } : { contextDim: condition.dim };
    spec.options = { ...spec.options, condition: { ...chosen, ...size } };
  }
  const field = registry.create('map', { id: spec.type, options: spec.options }, { rng }, { id: 'model.type', options: 'model' });
  if (typeof (field as Partial<VectorField>).evaluate !== 'function' || (field as VectorField).dim !== dim) {
    field.dispose();
    throw new RangeError(`bad model: model.type: "${spec.type}" does not build a vector field v(t, x) on R^${dim}`);
  }
  return field as VectorField;
}
