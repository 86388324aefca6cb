import type { OptimizerEntry } from '../registry/entries.js';
import { adam } from './adam.js';
import { adamw } from './adamw.js';
import { presetOptionsSchema, type PresetOptions } from './preset-options-schema.js';
import { sgd } from './sgd.js';

/**
 * The registry entries of the built-in optimizers `adam`, `adamw` and `sgd`. They resolve without a
 * registry (see `optimizerEntry`); register them (`definePlugin({ name, version, entries: optimizerEntries })`) to list them.
 */
export const optimizerEntries: readonly OptimizerEntry<PresetOptions>[] = [
  { kind: 'optimizer', id: 'adam', description: 'Adam (Kingma & Ba 2015), optional clipping and schedule', schema: presetOptionsSchema, create: adam },
  { kind: 'optimizer', id: 'adamw', description: 'Adam with decoupled weight decay (Loshchilov & Hutter 2019)', schema: presetOptionsSchema, create: adamw },
  { kind: 'optimizer', id: 'sgd', description: 'Stochastic gradient descent with optional momentum', schema: presetOptionsSchema, create: sgd },
];
