import { jsonFileKind, wrongFileKindError } from '../io/json-file-kind.js';
import { readJsonObject } from '../io/read-json-object.js';

/** Reads --config: a JSON object that is a recipe; a model file or a checkpoint given instead is an error that says so. */
export async function readRecipeFile(path: string): Promise<Record<string, unknown>> {
  const value = await readJsonObject(path);
  const found = jsonFileKind(value);
  if (found !== undefined) throw wrongFileKindError('--config', path, found, 'recipe');
  return value;
}
