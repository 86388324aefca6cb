import type { Registry } from '@pfm/core';
import { createDefaultRegistry } from '@pfm/plugins';

/**
 * The registry of the page: the default plugins, those of the `pfm` command line in its order,
 * so a recipe that works here works with `pfm train --config` and a model file saved here loads
 * in `pfm`.
 */
export function createDemoRegistry(): Registry {
  return createDefaultRegistry();
}
