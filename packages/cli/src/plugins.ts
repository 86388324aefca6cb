// The plugins built into `pfm`: the one list to edit when a package adds methods. Every command
// reads the registry made from it, so every id of every plugin here is usable with no other change.
import { corePlugin, type Plugin } from '@pfm/core';
import { datasetsPlugin } from '@pfm/datasets';
import { flowsPlugin } from '@pfm/flows';
import { ipmPlugin } from '@pfm/ipm';
import { likelihoodPlugin } from '@pfm/likelihood';
import { backendsPlugin } from './backends/backends-plugin.js';

/** The plugins every `pfm` registry starts with (user plugins from --plugin come after). */
export const cliPlugins: readonly Plugin[] = [corePlugin, datasetsPlugin, ipmPlugin, likelihoodPlugin, flowsPlugin, backendsPlugin];
