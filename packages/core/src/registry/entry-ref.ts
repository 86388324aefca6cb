import { z } from 'zod';
import type { EntryKind } from './entries.js';

/**
 * Another registry entry chosen by id with its own options: `"gaussian"` or
 * `{ id: 'gaussian', options: { bandwidth: 1 } }`. `registry.create(kind, ref, …)` builds it.
 */
export type EntryRef = string | { id?: string; options?: unknown };

/**
 * The options schema of a field that names another registry entry of `kind`: an id, or
 * `{ id, options }` (the id defaults to `defaultId`, the options to `{}`; the whole field defaults
 * to `{ id: defaultId, options: {} }`). The options are checked by the chosen entry's own schema
 * when `registry.create` builds it, not here, so any plugin's entry can be named.
 *
 * @example z.strictObject({ kernel: entryRefSchema('kernel', 'gaussian') })
 */
export function entryRefSchema(kind: EntryKind, defaultId: string) {
  return z
    .union([
      z.string().min(1),
      z.strictObject({
        id: z.string().min(1).default(defaultId),
        options: z.record(z.string(), z.unknown()).default({}),
      }),
    ])
    .default({ id: defaultId, options: {} })
    .describe(`a ${kind} id, or { id, options } (default "${defaultId}")`);
}
