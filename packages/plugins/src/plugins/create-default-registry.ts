import { createRegistry, type Plugin, type Registry } from '@pfm/core';
import { defaultPlugins } from './default-plugins.js';

/** Options of `createDefaultRegistry`. */
export interface DefaultRegistryOptions {
  /** Plugins registered after the defaults (an id one of them already has throws). */
  plugins?: readonly Plugin[];
}

/**
 * A registry with `defaultPlugins`, then `options.plugins`.
 *
 * @example
 * ```ts
 * import { createDefaultRegistry } from '@pfm/plugins';
 * const registry = createDefaultRegistry();
 * registry.has('objective', 'flow-matching'); // true
 * ```
 */
export function createDefaultRegistry(options: DefaultRegistryOptions = {}): Registry {
  return createRegistry({ plugins: [...defaultPlugins, ...(options.plugins ?? [])] });
}
