import type { z } from 'zod';
import type { Discrepancy } from '../contracts/discrepancy.js';
import type { DiscrepancyEntry } from './entries.js';
import type { Registry } from './registry.js';

/** What `defineDiscrepancy` takes: a discrepancy entry without its `kind`, typed by its schema. */
export interface DiscrepancyDefinition<S extends z.ZodType> {
  id: string;
  description: string;
  /** Options schema: the one place the options are written; `create` gets its output. */
  schema: S;
  /** Builds D(x, y) from the parsed options; the registry builds parts such as a kernel. */
  create(options: z.output<S>, context: { registry: Registry }): Discrepancy;
}

/**
 * Declares a discrepancy registry entry whose option type comes from its zod schema
 * (`z.output<typeof schema>` in `create`), so it is never written a second time.
 *
 * @example
 * export const meanGap = defineDiscrepancy({
 *   id: 'mean-gap', description: '‖mean x − mean y‖²', schema: z.strictObject({}),
 *   create: () => (x, y) => tf.sum(tf.square(tf.sub(tf.mean(x, 0), tf.mean(y, 0)))),
 * });
 */
export function defineDiscrepancy<S extends z.ZodType>(definition: DiscrepancyDefinition<S>): DiscrepancyEntry<z.output<S>> {
  return { kind: 'discrepancy', ...definition } as DiscrepancyEntry<z.output<S>>;
}
