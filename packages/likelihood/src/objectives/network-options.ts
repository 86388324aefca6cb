// The network part of a recipe (`model: { hidden, activation }`) as this package reads it.
import { ACTIVATIONS, type Activation, type NetworkConfig } from '@pfm/core';

/** Hidden widths used when a recipe gives none. */
export const DEFAULT_HIDDEN: readonly number[] = [32, 32];
/** Activation used when a recipe gives none. */
export const DEFAULT_ACTIVATION: Activation = 'silu';

/** `{ hidden, activation }` from a recipe's network config, with defaults [32, 32] and silu. */
export function resolveNetwork(network: NetworkConfig | undefined, where: string): { hidden: number[]; activation: Activation } {
  const hidden = network?.hidden ?? [...DEFAULT_HIDDEN];
  if (!Array.isArray(hidden) || hidden.some((h) => !Number.isInteger(h) || h <= 0)) {
    throw new RangeError(`${where}: model.hidden must be a list of positive integers, got ${JSON.stringify(hidden)}`);
  }
  const activation = network?.activation ?? DEFAULT_ACTIVATION;
  if (!(ACTIVATIONS as readonly string[]).includes(activation)) {
    throw new RangeError(`${where}: model.activation "${activation}" is not one of ${ACTIVATIONS.join(', ')}`);
  }
  return { hidden: [...hidden], activation: activation as Activation };
}
