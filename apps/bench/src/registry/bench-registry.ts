// Every plugin the benchmark knows: the objectives of all three families, data sets and metrics.
import { corePlugin, createRegistry, type Registry } from '@pfm/core';
import { datasetsPlugin } from '@pfm/datasets';
import { flowsPlugin } from '@pfm/flows';
import { ipmPlugin } from '@pfm/ipm';
import { likelihoodPlugin } from '@pfm/likelihood';

/** A registry with core, datasets, ipm, likelihood and flows. */
export function benchRegistry(): Registry {
  return createRegistry({ plugins: [corePlugin, datasetsPlugin, ipmPlugin, likelihoodPlugin, flowsPlugin] });
}
