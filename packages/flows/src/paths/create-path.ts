import { OptionsError, createRegistry, definePlugin, type Interpolant, type Registry } from '@pfm/core';
import { pathEntries } from './path-entries.js';
import type { PathOption } from './path-option-schema.js';

let builtins: Registry | undefined;

/**
 * The conditional path `path` chooses (an id or `{ id, options }`), built through `registry` so
 * that a plugin's path works (the built-in ids also resolve without a registry). Errors name
 * `where` (the option's path).
 */
export function createPath(path: PathOption, registry?: Registry, where = 'path'): Interpolant {
  const choice = typeof path === 'string' ? { id: path, options: {} } : path;
  builtins ??= createRegistry({ plugins: [definePlugin({ name: '@pfm/flows paths', version: '0', entries: pathEntries })] });
  const source = registry?.has('path', choice.id) ? registry : builtins;
  if (!source.has('path', choice.id)) {
    const known = [...new Set([...(registry?.ids('path') ?? []), ...builtins.ids('path')])].sort();
    throw new OptionsError(`${where}: unknown path "${choice.id}"; known path ids: ${known.join(', ')}`);
  }
  return source.create('path', { id: choice.id, options: choice.options }, undefined, { options: `${where}.options` });
}
