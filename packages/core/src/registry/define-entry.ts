import { z } from 'zod';
import type { EntryKind, EntryKindsOf } from './entries.js';

/**
 * What a `define…` helper takes: an entry of kind `K` without its `kind`, typed by its schema `S`:
 * `create` (and an objective's `load`) get `z.output<S>`, so the options are written once.
 */
export type EntryDefinition<K extends EntryKind, S extends z.ZodType> = Omit<EntryKindsOf<z.output<S>>[K], 'kind' | 'schema'> & {
  /** Options schema with defaults; default: no options (an empty strict object). */
  schema?: S;
};

/** The schema of an entry that takes no options. */
export const noOptionsSchema = z.strictObject({});

/** A helper that declares entries of one kind: {@link defineEntry}'s product. */
export type EntryDefiner<K extends EntryKind> = <S extends z.ZodType = typeof noOptionsSchema>(
  definition: EntryDefinition<K, S>,
) => EntryKindsOf<z.output<S>>[K];

/** `test-functions` → `defineTestFunctions`, the name a helper reports in its errors. */
function helperName(kind: EntryKind): string {
  return `define${kind.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())}`;
}

/**
 * The one way to declare an entry of `kind`: returns the helper (`defineKernel = defineEntry('kernel')`)
 * that fills in `kind`, defaults the schema to "no options", checks `id`, `description` and the
 * functions the kind needs (`create`, an objective's `load`), and types `create`'s options as
 * `z.output` of the schema. A malformed definition throws a `TypeError` naming the helper and field.
 *
 * @example
 * const defineKernel = defineEntry('kernel');
 * export const laplace = defineKernel({
 *   id: 'laplace', description: 'exp(−‖x − y‖ / σ)', schema: z.strictObject({ bandwidth: z.number().positive().default(1) }),
 *   create: ({ bandwidth }) => laplaceKernel(bandwidth),
 * });
 */
export function defineEntry<K extends EntryKind>(kind: K): EntryDefiner<K> {
  const caller = helperName(kind);
  const functions = kind === 'objective' ? ['create', 'load'] : ['create'];
  return ((definition: Record<string, unknown>) => {
    if (typeof definition !== 'object' || definition === null) {
      throw new TypeError(`${caller}: expected an object { id, description, schema?, ${functions.join(', ')} }, got ${String(definition)}`);
    }
    if (typeof definition.id !== 'string' || definition.id.length === 0) {
      throw new TypeError(`${caller}: "id" must be a non-empty string, got ${JSON.stringify(definition.id) ?? String(definition.id)}`);
    }
    if (typeof definition.description !== 'string') {
      throw new TypeError(`${caller}(${definition.id}): "description" must be a string, got ${typeof definition.description}`);
    }
    for (const name of functions) {
      if (typeof definition[name] !== 'function') throw new TypeError(`${caller}(${definition.id}): "${name}" must be a function, got ${typeof definition[name]}`);
    }
    const schema = definition.schema ?? noOptionsSchema;
    if (typeof (schema as z.ZodType).safeParse !== 'function') throw new TypeError(`${caller}(${definition.id}): "schema" must be a zod schema`);
    return { ...definition, kind, schema };
  }) as unknown as EntryDefiner<K>;
}
