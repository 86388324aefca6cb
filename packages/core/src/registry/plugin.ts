import type { AnyEntry } from './entries.js';

/** A named set of registry entries: what a package (or a user) adds to a registry. */
export interface Plugin {
  readonly name: string;
  readonly version: string;
  readonly entries: readonly AnyEntry[];
}

/**
 * Declares a plugin. Checks the shape eagerly so a malformed plugin fails where it is
 * written, not where it is used.
 */
export function definePlugin(plugin: Plugin): Plugin {
  if (typeof plugin !== 'object' || plugin === null) {
    throw new TypeError('definePlugin: expected an object { name, version, entries }');
  }
  if (typeof plugin.name !== 'string' || plugin.name.length === 0) {
    throw new TypeError('definePlugin: "name" must be a non-empty string');
  }
  if (typeof plugin.version !== 'string') {
    throw new TypeError(`definePlugin(${plugin.name}): "version" must be a string`);
  }
  if (!Array.isArray(plugin.entries)) {
    throw new TypeError(`definePlugin(${plugin.name}): "entries" must be an array`);
  }
  return Object.freeze({ ...plugin, entries: Object.freeze([...plugin.entries]) });
}
