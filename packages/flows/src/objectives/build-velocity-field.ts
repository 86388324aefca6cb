import type { NetworkConfig, Registry, Rng, VectorField } from '@pfm/core';

/**
 * A time-conditioned network v(t, x) on R^dim from the recipe's `model` options (through the
 * registry's `time-mlp` schema, so a bad option names the field).
 */
export function buildVelocityField(registry: Registry, dim: number, network: NetworkConfig, rng: Rng): VectorField {
  const options = registry.parseOptions('map', 'time-mlp', { ...network, dim }, 'model');
  return registry.get('map', 'time-mlp').create(options, { rng }) as VectorField;
}
