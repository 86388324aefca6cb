// Every plugin the benchmark knows: the objectives of all three families, data sets and metrics.
import type { Registry } from '@pfm/core';
import { createDefaultRegistry } from '@pfm/plugins';

/** A registry with the default plugins: core, datasets, ipm, likelihood and flows. */
export function benchRegistry(): Registry {
  return createDefaultRegistry();
}
