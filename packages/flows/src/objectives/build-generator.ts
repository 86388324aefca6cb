import { networkSpec, type NetworkConfig, type PushforwardMap, type Registry, type Rng } from '@pfm/core';

/**
 * A network φ: R^dim → R^dim from the recipe's `model` options, through the registry (so a bad option
 * names the field `model.<field>`): the map `model.type` names, else an `mlp` on vector data and a
 * `conv-generator` (noise of the data's size → image) when `eventShape` is an image `[h, w, c]`.
 */
export function buildGenerator(registry: Registry, dim: number, network: NetworkConfig, rng: Rng, eventShape?: readonly number[]): PushforwardMap {
  const spec = networkSpec(network, 'generator', { inputDim: dim, outputDim: dim }, eventShape);
  const map = registry.create('map', { id: spec.type, options: spec.options }, { rng }, { id: 'model.type', options: 'model' });
  const generator = map as Partial<PushforwardMap>;
  if (typeof generator.apply !== 'function' || generator.inputDim !== dim || generator.outputDim !== dim) {
    map.dispose();
    throw new RangeError(`bad model: model.type: "${spec.type}" does not build a map R^${dim} → R^${dim}`);
  }
  return map as PushforwardMap;
}
