import { readFile } from 'node:fs/promises';
import { CHECKPOINT_FORMAT, MODEL_FILE_FORMAT } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';

/** The pfm files a user can hand to the wrong flag: a model file or a training checkpoint. */
export type JsonFileKind = 'model file' | 'checkpoint';

/** What a parsed JSON document is, by its `format` field (`pfm-model`, `pfm-checkpoint`); undefined for anything else. */
export function jsonFileKind(value: unknown): JsonFileKind | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const format = (value as { format?: unknown }).format;
  return format === MODEL_FILE_FORMAT ? 'model file' : format === CHECKPOINT_FORMAT ? 'checkpoint' : undefined;
}

/** What the file at `path` is (see `jsonFileKind`); undefined when it cannot be read or parsed. */
export async function readJsonFileKind(path: string): Promise<JsonFileKind | undefined> {
  try {
    return jsonFileKind(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return undefined;
  }
}

const WHAT_TO_DO: Record<JsonFileKind, (path: string) => string> = {
  'model file': () => 'sample it with pfm sample --model; the recipe that trained it is its "training.recipe" field',
  checkpoint: (path) => `continue its run with pfm train --resume ${path}`,
};

/**
 * The error for a `found` file given where a `wanted` one was expected: `--resume m.json: this is
 * a model file, not a checkpoint (…)`, with what the file is for.
 */
export function wrongFileKindError(flag: string, path: string, found: JsonFileKind, wanted: string, options?: ErrorOptions): CliError {
  return new CliError(`${flag} ${path}: this is a ${found}, not a ${wanted} (${WHAT_TO_DO[found](path)})`, options);
}
