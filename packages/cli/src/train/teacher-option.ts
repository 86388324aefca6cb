import { encodeModelFile } from '@pfm/core';
import { readModelFile } from '@pfm/core/node';
import { readJsonFileKind, wrongFileKindError } from '../io/json-file-kind.js';
import { isPlainRecord } from './is-plain-record.js';

/**
 * --teacher MODEL.json: reads and validates the model file (side binary weights included) and
 * returns it as one self-contained JSON document (weights inline, base64), the form a
 * distillation objective takes in `options.teacher` and a checkpoint can store.
 */
export async function teacherOption(path: string): Promise<Record<string, unknown>> {
  let content: Awaited<ReturnType<typeof readModelFile>>;
  try {
    content = await readModelFile(path);
  } catch (error) {
    const found = await readJsonFileKind(path);
    if (found === 'checkpoint') throw wrongFileKindError('--teacher', path, found, 'model file', { cause: error });
    throw error;
  }
  return JSON.parse(encodeModelFile(content, { weights: 'inline', source: path }).json) as Record<string, unknown>;
}

/** The recipe without `options.teacher` (what a trained model's file records about its training). */
export function withoutTeacher(recipe: Record<string, unknown>): Record<string, unknown> {
  if (!isPlainRecord(recipe.options) || !('teacher' in recipe.options)) return recipe;
  const { teacher: _teacher, ...options } = recipe.options;
  return { ...recipe, options };
}
