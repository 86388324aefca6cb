import { OptionsError, formatIssues, type Interpolant, type PathEntry, type Registry } from '@pfm/core';
import { pathEntries } from './path-entries.js';
import type { PathOption } from './path-option-schema.js';

/**
 * The conditional path `path` chooses (an id or `{ id, options }`), built through `registry` so
 * that a plugin's path works (the built-in ids also resolve without a registry). Errors name
 * `where` (the option's path).
 */
export function createPath(path: PathOption, registry?: Registry, where = 'path'): Interpolant {
  const choice = typeof path === 'string' ? { id: path, options: {} } : path;
  const entry: PathEntry | undefined = registry?.has('path', choice.id) ? registry.get('path', choice.id) : pathEntries.find((e) => e.id === choice.id);
  if (!entry) {
    const known = [...new Set([...(registry?.ids('path') ?? []), ...pathEntries.map((e) => e.id)])].sort();
    throw new OptionsError(`${where}: unknown path "${choice.id}"; known path ids: ${known.join(', ')}`);
  }
  const parsed = entry.schema.safeParse(choice.options ?? {});
  if (!parsed.success) throw new OptionsError(`bad options for path "${entry.id}": ${formatIssues(parsed.error, `${where}.options`)}`);
  return entry.create(parsed.data);
}
