// Checkpoint files ("pfm-checkpoint", version 1): everything `train` needs to continue a run bit
// for bit — the recipe, the step, every player's variables and optimizer slots, the objective's
// own state and the loss history — as JSON with float32 tensors in base64. Validated like model
// files: shapes are checked before any decoding, keys are copied field by field.
import * as tf from '@tensorflow/tfjs-core';
import type { Checkpoint } from '../train/trainer.js';
import { decodeFloat32Base64, encodeFloat32Base64, base64DecodedLength } from './base64.js';
import { ModelFileError } from './model-file-error.js';
import { checkKeys, checkShape } from './model-file-checks.js';
import { copyJsonObject, isPlainObject, jsonPath, preview, FORBIDDEN_KEYS } from './json-value.js';

export const CHECKPOINT_FORMAT = 'pfm-checkpoint';
export const CHECKPOINT_VERSION = 1;

interface TensorRecord {
  shape: number[];
  data: string;
}

const MAX_VALUES = 2 ** 29;
const MAX_DEPTH = 32;

function encodeTensor(t: tf.Tensor): TensorRecord {
  return { shape: [...t.shape], data: encodeFloat32Base64(Float32Array.from(t.dataSync() as Float32Array)) };
}

/** A checkpoint (and the recipe that made it) as JSON text. */
export function encodeCheckpoint(checkpoint: Checkpoint, recipe: Record<string, unknown>): string {
  const list = (ts: tf.Tensor[]) => ts.map(encodeTensor);
  const body = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    recipe,
    step: checkpoint.step,
    seed: checkpoint.seed,
    steps: checkpoint.steps,
    batchSize: checkpoint.batchSize,
    variables: Object.fromEntries(Object.entries(checkpoint.variables).map(([k, v]) => [k, list(v)])),
    optimizers: Object.fromEntries(
      Object.entries(checkpoint.optimizers).map(([k, st]) => [k, Object.fromEntries(Object.entries(st.slots).map(([s, ts]) => [s, list(ts)]))]),
    ),
    run: checkpoint.run
      ? { json: checkpoint.run.json, tensors: Object.fromEntries(Object.entries(checkpoint.run.tensors).map(([k, t]) => [k, encodeTensor(t)])) }
      : null,
    lossHistory: checkpoint.lossHistory.map((v) => (Number.isFinite(v) ? v : null)),
  };
  return JSON.stringify(body);
}

export interface DecodedCheckpoint {
  checkpoint: Checkpoint;
  recipe: Record<string, unknown>;
}

/** Parses and validates a checkpoint; the caller owns (and disposes) its tensors. */
export function decodeCheckpoint(text: string, source = 'checkpoint'): DecodedCheckpoint {
  const fail = (path: string, detail: string): never => {
    throw new ModelFileError(source, path, detail);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return fail('', `not valid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(raw)) return fail('', `expected a JSON object, got ${preview(raw)}`);
  checkKeys(raw, ['format', 'version', 'recipe', 'step', 'seed', 'steps', 'batchSize', 'variables', 'optimizers', 'run', 'lossHistory'], '', fail);
  if (raw.format !== CHECKPOINT_FORMAT) fail('format', `expected "${CHECKPOINT_FORMAT}", got ${preview(raw.format)}`);
  if (raw.version !== CHECKPOINT_VERSION) {
    fail('version', typeof raw.version === 'number' && raw.version > CHECKPOINT_VERSION ? `version ${raw.version} was made by a newer pfm` : `expected ${CHECKPOINT_VERSION}, got ${preview(raw.version)}`);
  }
  const int = (key: string, min: number) => {
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(key, `expected an integer ≥ ${min}, got ${preview(v)}`);
    return v as number;
  };
  const step = int('step', 0);
  const seed = int('seed', -(2 ** 53));
  const steps = int('steps', 1);
  const batchSize = int('batchSize', 1);
  const recipe = copyJsonObject(raw.recipe, 'recipe', MAX_DEPTH, fail);

  // Check every shape and data length before decoding anything.
  const pending: { path: string; rec: TensorRecord; count: number }[] = [];
  let total = 0;
  const tensorRecord = (value: unknown, path: string) => {
    if (!isPlainObject(value)) return fail(path, `expected { shape, data }, got ${preview(value)}`);
    checkKeys(value, ['shape', 'data'], path, fail);
    const count = checkShape(value.shape, jsonPath(path, 'shape'), 8, MAX_VALUES, fail);
    if (typeof value.data !== 'string') fail(jsonPath(path, 'data'), 'expected a base64 string');
    let bytes = -1;
    try {
      bytes = base64DecodedLength(value.data as string);
    } catch {
      fail(jsonPath(path, 'data'), 'not valid base64');
    }
    if (bytes !== count * 4) fail(jsonPath(path, 'data'), `holds ${bytes} bytes, the shape needs ${count * 4}`);
    total += count;
    if (total > MAX_VALUES) fail(path, `the checkpoint holds more than ${MAX_VALUES} values`);
    const rec = { shape: value.shape as number[], data: value.data as string };
    pending.push({ path, rec, count });
    return rec;
  };
  const namedLists = (value: unknown, path: string) => {
    if (!isPlainObject(value)) return fail(path, `expected an object, got ${preview(value)}`);
    const out: Record<string, TensorRecord[]> = {};
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) fail(jsonPath(path, key), `the key "${key}" is not allowed`);
      const list = value[key];
      if (!Array.isArray(list)) fail(jsonPath(path, key), `expected an array of tensors, got ${preview(list)}`);
      out[key] = (list as unknown[]).map((t, i) => tensorRecord(t, jsonPath(jsonPath(path, key), i)));
    }
    return out;
  };
  const variables = namedLists(raw.variables, 'variables');
  if (!isPlainObject(raw.optimizers)) fail('optimizers', `expected an object, got ${preview(raw.optimizers)}`);
  const optimizers: Record<string, Record<string, TensorRecord[]>> = {};
  for (const key of Object.keys(raw.optimizers as object)) {
    if (FORBIDDEN_KEYS.has(key)) fail(jsonPath('optimizers', key), `the key "${key}" is not allowed`);
    optimizers[key] = namedLists((raw.optimizers as Record<string, unknown>)[key], jsonPath('optimizers', key));
  }
  let run: { json: Record<string, unknown>; tensors: Record<string, TensorRecord> } | undefined;
  if (raw.run !== null && raw.run !== undefined) {
    if (!isPlainObject(raw.run)) fail('run', `expected an object or null, got ${preview(raw.run)}`);
    const r = raw.run as Record<string, unknown>;
    checkKeys(r, ['json', 'tensors'], 'run', fail);
    const tensors: Record<string, TensorRecord> = {};
    if (!isPlainObject(r.tensors)) fail('run.tensors', `expected an object, got ${preview(r.tensors)}`);
    for (const key of Object.keys(r.tensors as object)) {
      if (FORBIDDEN_KEYS.has(key)) fail(jsonPath('run.tensors', key), `the key "${key}" is not allowed`);
      tensors[key] = tensorRecord((r.tensors as Record<string, unknown>)[key], jsonPath('run.tensors', key));
    }
    run = { json: copyJsonObject(r.json, 'run.json', MAX_DEPTH, fail), tensors };
  }
  if (!Array.isArray(raw.lossHistory) || raw.lossHistory.length > steps) fail('lossHistory', `expected an array of at most ${steps} numbers`);
  const lossHistory = (raw.lossHistory as unknown[]).map((v, i) => {
    if (v === null) return NaN;
    if (typeof v !== 'number') fail(jsonPath('lossHistory', i), `expected a number, got ${preview(v)}`);
    return v as number;
  });
  if (step > steps) fail('step', `step ${step} is beyond the run's ${steps} steps`);

  // Decode.
  const created: tf.Tensor[] = [];
  const decode = (rec: TensorRecord, path: string) => {
    const values = decodeFloat32Base64(rec.data);
    for (let k = 0; k < values.length; k++) {
      if (!Number.isFinite(values[k]!)) fail(path, `value ${k} is ${values[k]}`);
    }
    const t = tf.tensor(values, rec.shape, 'float32');
    created.push(t);
    return t;
  };
  try {
    const checkpoint: Checkpoint = {
      step,
      seed,
      steps,
      batchSize,
      variables: Object.fromEntries(Object.entries(variables).map(([k, list]) => [k, list.map((r, i) => decode(r, `variables.${k}[${i}]`))])),
      optimizers: Object.fromEntries(
        Object.entries(optimizers).map(([k, slots]) => [
          k,
          { slots: Object.fromEntries(Object.entries(slots).map(([s, list]) => [s, list.map((r, i) => decode(r, `optimizers.${k}.${s}[${i}]`))])) },
        ]),
      ),
      lossHistory,
    };
    if (run) {
      checkpoint.run = {
        json: run.json,
        tensors: Object.fromEntries(Object.entries(run.tensors).map(([k, r]) => [k, decode(r, `run.tensors.${k}`)])),
      };
    }
    return { checkpoint, recipe };
  } catch (error) {
    tf.dispose(created);
    throw error;
  }
}
