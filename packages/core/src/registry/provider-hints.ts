import type { EntryKind } from './entries.js';

/**
 * Which plugin provides each kind of entry, printed after "(none registered: …)" when a registry
 * has no entry of that kind at all. Core only names its sibling packages here; it imports none of
 * them. `createRegistry({ hints })` replaces a kind's line (a registry of one's own plugins, say).
 */
export const PROVIDER_HINTS: Readonly<Record<EntryKind, string>> = Object.freeze({
  objective: 'add ipmPlugin from @pfm/ipm, likelihoodPlugin from @pfm/likelihood or flowsPlugin from @pfm/flows',
  discrepancy: 'add ipmPlugin from @pfm/ipm',
  kernel: 'add ipmPlugin from @pfm/ipm',
  'test-functions': 'add ipmPlugin from @pfm/ipm',
  integrator: 'add flowsPlugin from @pfm/flows',
  controller: 'add flowsPlugin from @pfm/flows, or controllerEntries from @pfm/core',
  map: 'add corePlugin from @pfm/core',
  dataset: 'add datasetsPlugin from @pfm/datasets',
  backend: 'add backendsPlugin from @pfm/cli',
  optimizer: 'add corePlugin from @pfm/core, or optimizerEntries',
  coupling: 'add flowsPlugin from @pfm/flows',
  path: 'add flowsPlugin from @pfm/flows',
});
