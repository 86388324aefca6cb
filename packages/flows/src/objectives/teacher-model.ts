// The teacher of a distillation, given as the content of its model file (never as a path: the
// objective does no I/O). Accepted forms: the decoded ModelFileContent (what readModelFile or
// decodeModelFile return; weight values as Float32Array or plain number arrays), or the model
// file's JSON document itself (format "pfm-model", inline base64 weights), decoded here.
import { decodeModelFile, modelFromContent, OptionsError, type Model, type ModelFileContent, type Registry } from '@pfm/core';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Float32Array);
}

/** Rebuilds the teacher model from `value` (options.teacher); errors name `options.teacher`. */
export function teacherModel(value: unknown, registry: Registry, method: string): Model {
  if (value === undefined) {
    throw new OptionsError(
      `bad options for objective "${method}": options.teacher is required: the content of a trained flow's model file (the CLI reads --teacher <file> into it)`,
    );
  }
  if (!isPlainObject(value)) throw new OptionsError(`bad options for objective "${method}": options.teacher must be a model file's content (an object)`);
  let content: ModelFileContent;
  if (value.format !== undefined) {
    content = decodeModelFile(JSON.stringify(value), { source: 'options.teacher' });
  } else {
    const maps = value.maps;
    if (!isPlainObject(maps) || typeof value.method !== 'string' || typeof value.dim !== 'number') {
      throw new OptionsError(`bad options for objective "${method}": options.teacher must have "method", "dim" and "maps" (a model file's content)`);
    }
    const copy: Record<string, unknown> = {};
    for (const [role, record] of Object.entries(maps)) {
      if (!isPlainObject(record) || !Array.isArray(record.weights)) {
        throw new OptionsError(`bad options for objective "${method}": options.teacher.maps.${role} must have "type", "options" and "weights"`);
      }
      copy[role] = {
        ...record,
        weights: record.weights.map((w: unknown, i: number) => {
          if (!isPlainObject(w)) throw new OptionsError(`bad options for objective "${method}": options.teacher.maps.${role}.weights[${i}] must be an object`);
          const values = w.values;
          return { ...w, values: values instanceof Float32Array ? values : Float32Array.from(values as number[]) };
        }),
      };
    }
    content = { plugins: [], extra: {}, options: {}, ...(value as object), maps: copy } as unknown as ModelFileContent;
  }
  return modelFromContent(content, registry, 'options.teacher');
}
