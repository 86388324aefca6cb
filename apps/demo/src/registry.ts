import { corePlugin, createRegistry, type Registry } from '@pfm/core';
import { datasetsPlugin } from '@pfm/datasets';
import { flowsPlugin } from '@pfm/flows';
import { ipmPlugin } from '@pfm/ipm';
import { likelihoodPlugin } from '@pfm/likelihood';

/**
 * The registry of the page: the plugins of the `pfm` command line, in its order, so a recipe
 * that works here works with `pfm train --config` and a model file saved here loads in `pfm`.
 */
export function createDemoRegistry(): Registry {
  return createRegistry({ plugins: [corePlugin, datasetsPlugin, ipmPlugin, likelihoodPlugin, flowsPlugin] });
}
