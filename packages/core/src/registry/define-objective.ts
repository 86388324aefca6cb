import type { z } from 'zod';
import { defineEntry, type EntryDefinition } from './define-entry.js';

/** What `defineObjective` takes: an objective entry without its `kind`, typed by its schema. */
export type ObjectiveDefinition<S extends z.ZodType> = EntryDefinition<'objective', S>;

/**
 * Declares an objective registry entry whose option types come from its zod schema
 * (`z.output<typeof schema>` in `create` and `load`), so they are never written a second time.
 *
 * @example
 * export const myObjective = defineObjective({
 *   id: 'my-objective', description: '…', schema: z.strictObject({ lr: z.number().default(1) }),
 *   create: (options, ctx) => …, load: (parts) => …,
 * });
 */
export const defineObjective = defineEntry('objective');
