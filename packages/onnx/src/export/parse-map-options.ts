import type { MapRecord } from '@pfm/core';
import type { z } from 'zod';
import { OnnxError } from './onnx-error.js';

/** The options of `record` through the map's own schema; a failure names the field under `where`. */
export function parseMapOptions<S extends z.ZodType>(schema: S, record: MapRecord, where: string): z.output<S> {
  const result = schema.safeParse(record.options);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new OnnxError(`${where}.options.${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  return result.data;
}
