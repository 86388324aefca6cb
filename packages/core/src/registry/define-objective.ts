import type { z } from 'zod';
import type { Model } from '../contracts/model.js';
import type { ModelParts, ObjectiveContext, TrainingRun } from '../contracts/objective.js';
import type { ObjectiveEntry } from './entries.js';

/** What `defineObjective` takes: an objective entry without its `kind`, typed by its schema. */
export interface ObjectiveDefinition<S extends z.ZodType> {
  id: string;
  description: string;
  /** Options schema: the one place the options are written; `create` and `load` get its output. */
  schema: S;
  create(options: z.output<S>, context: ObjectiveContext): TrainingRun;
  /** Rebuilds a trained model from its file. */
  load(parts: ModelParts<z.output<S>>): Model;
}

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
export function defineObjective<S extends z.ZodType>(definition: ObjectiveDefinition<S>): ObjectiveEntry<z.output<S>> {
  return { kind: 'objective', ...definition } as ObjectiveEntry<z.output<S>>;
}
