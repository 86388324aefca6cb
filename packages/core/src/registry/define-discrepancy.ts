import type { z } from 'zod';
import { defineEntry, type EntryDefinition } from './define-entry.js';

/** What `defineDiscrepancy` takes: a discrepancy entry without its `kind`, typed by its schema. */
export type DiscrepancyDefinition<S extends z.ZodType> = EntryDefinition<'discrepancy', S>;

/**
 * Declares a discrepancy registry entry whose option type comes from its zod schema
 * (`z.output<typeof schema>` in `create`), so it is never written a second time; `create` gets
 * `{ registry }` to build parts such as a kernel.
 *
 * @example
 * export const meanGap = defineDiscrepancy({
 *   id: 'mean-gap', description: '‖mean x − mean y‖²', schema: z.strictObject({}),
 *   create: () => (x, y) => tf.sum(tf.square(tf.sub(tf.mean(x, 0), tf.mean(y, 0)))),
 * });
 */
export const defineDiscrepancy = defineEntry('discrepancy');
