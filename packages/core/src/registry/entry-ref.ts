import { z } from 'zod';
import type { EntryKind } from './entries.js';

/**
 * Another registry entry chosen by id with its own options: `"gaussian"` or
 * `{ id: 'gaussian', options: { bandwidth: 1 } }`. `registry.create(kind, ref, …)` builds it.
 */
export type EntryRef = string | { id?: string; options?: unknown };

/**
 * The options schema of a field that names another registry entry of `kind`: an id, or
 * `{ id, options }` (options default to `{}`). With `defaultId` the id defaults to it and the
 * whole field to `{ id: defaultId, options: {} }`; without, the field and its id are required.
 * The options are checked by the chosen entry's own schema when `registry.create` builds it, not
 * here, so any plugin's entry can be named.
 *
 * @example z.strictObject({ kernel: entryRefSchema('kernel', 'gaussian') })
 */
export function entryRefSchema(kind: EntryKind, defaultId: string): z.ZodDefault<ReturnType<typeof refSchema>>;
export function entryRefSchema(kind: EntryKind): ReturnType<typeof refSchema>;
export function entryRefSchema(kind: EntryKind, defaultId?: string) {
  const ref = refSchema(defaultId);
  return defaultId === undefined
    ? ref.describe(`a ${kind} id, or { id, options }`)
    : ref.default({ id: defaultId, options: {} }).describe(`a ${kind} id, or { id, options } (default "${defaultId}")`);
}

function refSchema(defaultId?: string) {
  const id = z.string().min(1);
  return z.union([
    z.string().min(1),
    z.strictObject({
      id: defaultId === undefined ? id : id.default(defaultId),
      options: z.record(z.string(), z.unknown()).default({}),
    }),
  ]);
}
