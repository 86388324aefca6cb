import { corePlugin, type Plugin } from '@pfm/core';
import { datasetsPlugin } from '@pfm/datasets';
import { flowsPlugin } from '@pfm/flows';
import { ipmPlugin } from '@pfm/ipm';
import { likelihoodPlugin } from '@pfm/likelihood';

/**
 * The plugins of every pfm package with methods, in the order the command line, the benchmark,
 * the demo and the tour register them: core (maps, measures), datasets, ipm (statistics
 * matching), likelihood (flows and VAEs by maximum likelihood), flows (flow matching, ODE/SDE).
 * A recipe or model file that works with one of them works with all. The one list to edit when
 * a package adds a plugin.
 */
export const defaultPlugins: readonly Plugin[] = Object.freeze([corePlugin, datasetsPlugin, ipmPlugin, likelihoodPlugin, flowsPlugin]);
