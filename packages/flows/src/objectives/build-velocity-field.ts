import type { NetworkConfig, Registry, Rng, VectorField } from '@pfm/core';

/**
 * A time-conditioned network v(t, x) on R^dim from the recipe's `model` options (through the
 * registry's `time-mlp` schema, so a bad option names the field).
 */
export function buildVelocityField(registry: Registry, dim: number, network: NetworkConfig, rng: Rng): VectorField {
  return registry.create('map', { id: 'time-mlp', options: { ...network, dim } }, { rng }, { options: 'model' }) as VectorField;
}
