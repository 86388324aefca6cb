// What of a training recipe can be judged before the data are read. The data change a recipe only
// through the objective's `recipeDefaults` (image defaults, say), and those only fill in what the
// recipe leaves out (`withRecipeDefaults`): they never remove a field nor replace a value the user
// wrote. So a field the recipe schema does not know, an unknown method, and a value written in the
// recipe that its schema refuses are errors whatever the data; a missing field is not (the data may
// fill it), nor a cross-field check (`custom` issue) of the objective's options.
import { formatIssues, OptionsError, recipeSchema, type Registry } from '@pfm/core';
import { z } from 'zod';
import { CliError } from '../cli/cli-error.js';
import { isPlainRecord } from './is-plain-record.js';
import { hasRecipeInputs, recipeFromInputs, type RecipeInputs } from './recipe-inputs.js';
import type { ResumedCheckpoint } from './resolve-recipe.js';

/** The raw recipe's `method`, or the error that asks for one. */
export function requireMethod(raw: Record<string, unknown>): void {
  if (raw.method === undefined) throw new CliError('--method is required (or a --config recipe with "method"); methods: pfm list --kind objective');
}

/** --teacher is only for methods with a `teacher` option (distillation): the method of the flags, of --config or of the checkpoint. */
export function checkTeacherOption(registry: Registry, inputs: RecipeInputs, resume: ResumedCheckpoint | undefined): void {
  if (inputs.teacher === undefined) return;
  const method = inputs.method ?? inputs.config?.method ?? resume?.decoded.recipe.method;
  if (typeof method !== 'string' || !registry.has('objective', method)) return;
  const info = registry.list('objective').find((e) => e.id === method);
  const properties = (info?.options as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  if (!('teacher' in properties)) throw new CliError(`--teacher: the objective "${method}" takes no teacher (it has no "teacher" option)`);
}

/** Runs `check`; an error in a recipe read from `source` (a --config file, a checkpoint) is prefixed with it. */
export function fromRecipeSource<T>(source: string | undefined, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (source === undefined) throw error;
    throw new CliError(`${source}: ${(error as Error).message}`, { cause: error });
  }
}

/** The value at `path` in `value`, or undefined where the path leaves it. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/**
 * The issues no default can mend: unknown keys, and refused values the user wrote (not records,
 * which defaults may complete). Refinements (`custom`) are kept only where `keepCustom` says: the
 * optimizer schema reports every field's error as one.
 */
function issuesWhateverTheData(issues: readonly z.core.$ZodIssue[], raw: unknown, keepCustom: (issue: z.core.$ZodIssue) => boolean): z.core.$ZodIssue[] {
  return issues.filter((issue) => {
    if (issue.code === 'unrecognized_keys') return true;
    if (issue.code === 'custom' && !keepCustom(issue)) return false;
    const given = valueAt(raw, issue.path);
    return given !== undefined && !isPlainRecord(given);
  });
}

/**
 * Refuses a raw recipe (before `recipeDefaults` and the schema's defaults) whose errors do not
 * depend on the data: in the words `parseRecipe` would use once the data are read
 * (`bad config: config.<field>: …`, `unknown objective "x"; known objective ids: …`,
 * `bad options for objective "m": config.options.<field>: …`).
 */
export function checkRawRecipe(raw: Record<string, unknown>, registry: Registry): void {
  const parsed = recipeSchema.safeParse(raw);
  const top = parsed.success ? [] : issuesWhateverTheData(parsed.error.issues, raw, (issue) => issue.path[0] === 'optimizer');
  if (top.length > 0) throw new OptionsError(`bad config: ${formatIssues(new z.ZodError(top), 'config')}`);
  const method = raw.method;
  if (typeof method !== 'string') return;
  const entry = registry.get('objective', method);
  if (!isPlainRecord(raw.options)) return;
  const options = entry.schema.safeParse(raw.options);
  const bad = options.success ? [] : issuesWhateverTheData(options.error.issues, raw.options, () => false);
  if (bad.length > 0) throw new OptionsError(`bad options for objective "${method}": ${formatIssues(new z.ZodError(bad), 'config.options')}`);
}

/** The recipe flags and --config, and the checkpoint of --resume: what `checkRecipeBeforeData` reads. */
export interface RecipeSourcesBeforeData {
  registry: Registry;
  inputs: RecipeInputs;
  /** The --config file (its name prefixes errors). */
  configPath: string | undefined;
  resume: ResumedCheckpoint | undefined;
}

/**
 * Refuses, before any data are read, a recipe that is wrong whatever the data: no method, a
 * --teacher for a method without one, a field the recipe does not have, an unknown method, a value the schema refuses (see `checkRawRecipe`).
 * `resolveRecipe` validates the whole recipe once the data are known.
 */
export function checkRecipeBeforeData({ registry, inputs, configPath, resume }: RecipeSourcesBeforeData): void {
  checkTeacherOption(registry, inputs, resume);
  if (resume) {
    const saved = resume.decoded.recipe;
    fromRecipeSource(`${resume.path}: recipe`, () => checkRawRecipe(saved, registry));
    if (hasRecipeInputs(inputs)) fromRecipeSource(configPath, () => checkRawRecipe(recipeFromInputs(inputs, inputs.config ?? saved), registry));
    return;
  }
  const raw = recipeFromInputs(inputs, inputs.config);
  requireMethod(raw);
  fromRecipeSource(configPath, () => checkRawRecipe(raw, registry));
}
