// Validation of the LeNet weights file (src/image-metrics/lenet-mnist-weights.json, written by
// scripts/train-mnist-features.mjs). The file is data only: it is parsed as JSON and checked
// field by field and shape by shape; nothing in it is ever executed or used to pick code.
import { decodeFloat32Base64 } from '@pfm/core';
import { LENET_PARAMETER_NAMES, LENET_PARAMETER_SHAPES, type LenetParameterName } from './lenet-parameter-shapes.js';

/** The `format` field a LeNet weights file must have. */
export const LENET_WEIGHTS_FORMAT = 'pfm-lenet-mnist-weights';

/** The LeNet weights as host arrays, one per parameter, with the training record of the file. */
export interface LenetWeights {
  /** Float32 values of each parameter, row-major in the order of its shape. */
  values: Readonly<Record<LenetParameterName, Float32Array>>;
  /** The file's seed, epochs and accuracies (as written by the training script). */
  record: { seed: number; epochs: number; testAccuracy: number; testImages: number };
}

function fail(field: string, value: unknown, expected: string): never {
  const shown = typeof value === 'string' && value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
  throw new RangeError(`LeNet weights: ${field} is ${shown ?? String(value)}, expected ${expected}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a parsed LeNet weights file (format `pfm-lenet-mnist-weights`, version 1) and decodes
 * it: every parameter of `LENET_PARAMETER_NAMES` exactly once, in that order, with the shape of
 * `LENET_PARAMETER_SHAPES`, as base64 little-endian float32 with exactly that many finite values.
 * Throws a RangeError naming the field, its value and what was expected.
 */
export function decodeLenetWeights(file: unknown): LenetWeights {
  if (!isRecord(file)) fail('the file', Array.isArray(file) ? 'an array' : file, 'a JSON object');
  if (file.format !== LENET_WEIGHTS_FORMAT) fail('format', file.format, JSON.stringify(LENET_WEIGHTS_FORMAT));
  if (file.version !== 1) fail('version', file.version, '1');
  for (const field of ['seed', 'epochs', 'testImages'] as const) {
    if (!Number.isInteger(file[field]) || (file[field] as number) < 0) fail(field, file[field], 'a non-negative integer');
  }
  const accuracy = file.testAccuracy;
  if (typeof accuracy !== 'number' || !(accuracy >= 0 && accuracy <= 1)) fail('testAccuracy', accuracy, 'a number in [0, 1]');
  const parameters = file.parameters;
  if (!Array.isArray(parameters)) fail('parameters', isRecord(parameters) ? 'an object' : parameters, `an array of ${LENET_PARAMETER_NAMES.length} parameters`);
  if (parameters.length !== LENET_PARAMETER_NAMES.length) {
    fail('parameters.length', parameters.length, `${LENET_PARAMETER_NAMES.length} (${LENET_PARAMETER_NAMES.join(', ')})`);
  }
  const values = {} as Record<LenetParameterName, Float32Array>;
  LENET_PARAMETER_NAMES.forEach((name, k) => {
    const entry: unknown = parameters[k];
    const at = `parameters[${k}]`;
    if (!isRecord(entry)) fail(at, entry, `an object { name, shape, values } for ${name}`);
    if (entry.name !== name) fail(`${at}.name`, entry.name, JSON.stringify(name));
    const shape = LENET_PARAMETER_SHAPES[name];
    const given = entry.shape;
    if (!Array.isArray(given) || given.length !== shape.length || given.some((s, i) => s !== shape[i])) {
      fail(`${at}.shape (${name})`, given, JSON.stringify(shape));
    }
    const count = shape.reduce((a, b) => a * b, 1);
    if (typeof entry.values !== 'string') fail(`${at}.values (${name})`, entry.values, `a base64 string of ${count} float32 values`);
    let decoded: Float32Array;
    try {
      decoded = decodeFloat32Base64(entry.values, count);
    } catch (error) {
      throw new RangeError(`LeNet weights: ${at}.values (${name}): ${(error as Error).message}`, { cause: error });
    }
    const bad = decoded.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) fail(`${at}.values[${bad}] (${name})`, String(decoded[bad]), 'a finite number');
    values[name] = decoded;
  });
  return {
    values,
    record: { seed: file.seed as number, epochs: file.epochs as number, testAccuracy: accuracy, testImages: file.testImages as number },
  };
}
