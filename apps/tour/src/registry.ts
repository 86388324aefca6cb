import { corePlugin, createRegistry, type Registry } from '@pfm/core';
import { datasetsPlugin } from '@pfm/datasets';
import { flowsPlugin } from '@pfm/flows';
import { ipmPlugin } from '@pfm/ipm';
import { likelihoodPlugin } from '@pfm/likelihood';

/** Every plugin the tour knows. */
export function tourRegistry(): Registry {
  return createRegistry({ plugins: [corePlugin, datasetsPlugin, ipmPlugin, likelihoodPlugin, flowsPlugin] });
}
