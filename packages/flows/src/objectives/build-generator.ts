import type { NetworkConfig, PushforwardMap, Registry, Rng } from '@pfm/core';

/** A network φ: R^dim → R^dim from the recipe's `model` options (through the registry's `mlp` schema). */
export function buildGenerator(registry: Registry, dim: number, network: NetworkConfig, rng: Rng): PushforwardMap {
  const options = registry.parseOptions('map', 'mlp', { ...network, inputDim: dim, outputDim: dim }, 'model');
  return registry.get('map', 'mlp').create(options, { rng }) as PushforwardMap;
}
