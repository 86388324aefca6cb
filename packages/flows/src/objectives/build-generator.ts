import type { NetworkConfig, PushforwardMap, Registry, Rng } from '@pfm/core';

/** A network φ: R^dim → R^dim from the recipe's `model` options (through the registry's `mlp` schema). */
export function buildGenerator(registry: Registry, dim: number, network: NetworkConfig, rng: Rng): PushforwardMap {
  const options = { ...network, inputDim: dim, outputDim: dim };
  return registry.create('map', { id: 'mlp', options }, { rng }, { options: 'model' }) as PushforwardMap;
}
