import { z } from 'zod';
import type { Solver, StepSizeController } from '../contracts/integrator.js';
import type { ControllerEntry, IntegratorEntry } from './entries.js';

/** What {@link defineIntegrator} and {@link defineController} need: id, description, schema, create. */
export interface EntryDefinition<O, T> {
  /** Kebab-case registry id. */
  id: string;
  description: string;
  /** Options schema with defaults; default: no options (an empty strict object). */
  schema?: z.ZodType<O>;
  /** Builds the solver or controller from the parsed options. */
  create(options: O): T;
}

const noOptions = z.object({}).strict();

function checkDefinition(caller: string, definition: EntryDefinition<unknown, unknown>): void {
  if (typeof definition !== 'object' || definition === null) throw new TypeError(`${caller}: expected an object { id, description, schema?, create }`);
  if (typeof definition.id !== 'string' || definition.id.length === 0) {
    throw new TypeError(`${caller}: "id" must be a non-empty string, got ${String(definition.id)}`);
  }
  if (typeof definition.description !== 'string') throw new TypeError(`${caller}(${definition.id}): "description" must be a string`);
  if (typeof definition.create !== 'function') throw new TypeError(`${caller}(${definition.id}): "create" must be a function`);
}

/**
 * An `integrator` registry entry: the solver's id, description and options schema (none by
 * default), and `create(options)`. The options come from a recipe's `{ id, options }` (e.g. a
 * flow model's `sampler.integrator`), parsed by the schema first.
 */
export function defineIntegrator<O = Record<string, never>>(definition: EntryDefinition<O, Solver>): IntegratorEntry<O> {
  checkDefinition('defineIntegrator', definition as EntryDefinition<unknown, unknown>);
  return {
    kind: 'integrator',
    id: definition.id,
    description: definition.description,
    schema: definition.schema ?? (noOptions as unknown as z.ZodType<O>),
    create: (options) => definition.create(options),
  };
}

/** A `controller` registry entry (a step-size policy of adaptive solves), shaped like {@link defineIntegrator}. */
export function defineController<O = Record<string, never>>(definition: EntryDefinition<O, StepSizeController>): ControllerEntry<O> {
  checkDefinition('defineController', definition as EntryDefinition<unknown, unknown>);
  return {
    kind: 'controller',
    id: definition.id,
    description: definition.description,
    schema: definition.schema ?? (noOptions as unknown as z.ZodType<O>),
    create: (options) => definition.create(options),
  };
}
