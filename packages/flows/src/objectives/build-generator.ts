import { OptionsError, type ConditionSpec, type NetworkConfig, type PushforwardMap, type Registry, type Rng } from '@pfm/core';
import { conditionedNetworkSpec } from './conditioned-network-spec.js';

/** Whether the registered map `id` declares a `condition` option (so it can be built conditional). */
function takesCondition(registry: Registry, id: string): boolean {
  const schema = registry.list('map').find((entry) => entry.id === id)?.options as { properties?: Record<string, unknown> } | undefined;
  return schema?.properties !== undefined && 'condition' in schema.properties;
}

/**
 * A network φ: R^dim → R^dim from the recipe's `model` options, through the registry (so a bad option
 * names the field `model.<field>`): the map `model.type` names, else an `mlp` on vector data and a
 * `conv-generator` (noise of the data's size → image) when `eventShape` is an image `[h, w, c]`.
 * With `condition` the map is φ(z | c): it gets the option `condition` with the classes or the
 * context dimension of the data, merged over `model.condition` (where a recipe chooses `join` and
 * `embeddingDim`); a map type without a `condition` option is an error naming `model.type`.
 */
export function buildGenerator(
  registry: Registry,
  dim: number,
  network: NetworkConfig,
  rng: Rng,
  eventShape?: readonly number[],
  condition?: ConditionSpec,
): PushforwardMap {
  const spec = conditionedNetworkSpec(network, 'generator', dim, eventShape, condition);
  if (condition !== undefined && !takesCondition(registry, spec.type)) {
    throw new OptionsError(`bad model: model.type: "${spec.type}" takes no condition, and the data are conditional; use a map with a "condition" option (mlp on vectors)`);
  }
  const map = registry.create('map', { id: spec.type, options: spec.options }, { rng }, { id: 'model.type', options: 'model' });
  const generator = map as Partial<PushforwardMap>;
  if (typeof generator.apply !== 'function' || generator.inputDim !== dim || generator.outputDim !== dim) {
    map.dispose();
    throw new RangeError(`bad model: model.type: "${spec.type}" does not build a map R^${dim} → R^${dim}`);
  }
  return map as PushforwardMap;
}
