// The plugins built into `pfm`: the default plugins of @pfm/plugins (the one list to edit when a
// package adds methods), the data sets read from disk (mnist) and the command line's backends. Every command reads the registry made
// from it, so every id of every plugin here is usable with no other change.
import type { Plugin } from '@pfm/core';
import { datasetsNodePlugin } from '@pfm/datasets/node';
import { defaultPlugins } from '@pfm/plugins';
import { backendsPlugin } from './backends/backends-plugin.js';

/** The plugins every `pfm` registry starts with (user plugins from --plugin come after). */
export const cliPlugins: readonly Plugin[] = [...defaultPlugins, datasetsNodePlugin, backendsPlugin];
