// Checkpoint files ("pfm-checkpoint", version 3): everything `train` needs to continue a run bit
// for bit — the recipe, the step, every player's variables and optimizer slots, the objective's
// own state, the loss history, the data fingerprint (with the hash of a conditional run's labels
// or context rows) and backend, the learning-rate scale, the
// rollback snapshot and the averaged (EMA) weights — as JSON with float32 tensors in base64.
// Version 2 files (no averaged weights) and version 1 files (no fingerprint, backend or rollback
// state either) still load. Validated like model files: shapes are checked before
// any decoding, keys are copied field by field.
import * as tf from '@tensorflow/tfjs-core';
import type { Checkpoint, TrainingSnapshot } from '../train/trainer.js';
import type { DataFingerprint } from '../train/data-fingerprint.js';
import { decodeFloat32Base64, encodeFloat32Base64, base64DecodedLength } from './base64.js';
import { ModelFileError } from './model-file-error.js';
import { checkKeys, checkShape } from './model-file-checks.js';
import { copyJsonObject, isPlainObject, jsonPath, preview, FORBIDDEN_KEYS } from './json-value.js';

export const CHECKPOINT_FORMAT = 'pfm-checkpoint';
export const CHECKPOINT_VERSION = 3;

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
  const state = (c: Omit<TrainingSnapshot, 'step'>) => ({
    variables: Object.fromEntries(Object.entries(c.variables).map(([k, v]) => [k, list(v)])),
    optimizers: Object.fromEntries(
      Object.entries(c.optimizers).map(([k, st]) => [k, Object.fromEntries(Object.entries(st.slots).map(([s, ts]) => [s, list(ts)]))]),
    ),
    run: c.run ? { json: c.run.json, tensors: Object.fromEntries(Object.entries(c.run.tensors).map(([k, t]) => [k, encodeTensor(t)])) } : null,
    ema: c.ema ? Object.fromEntries(Object.entries(c.ema).map(([k, v]) => [k, list(v)])) : null,
  });
  const body = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    recipe,
    step: checkpoint.step,
    seed: checkpoint.seed,
    steps: checkpoint.steps,
    batchSize: checkpoint.batchSize,
    ...state(checkpoint),
    lossHistory: checkpoint.lossHistory.map((v) => (Number.isFinite(v) ? v : null)),
    data: checkpoint.data
      ? {
          rows: checkpoint.data.rows,
          cols: checkpoint.data.cols,
          hash: checkpoint.data.hash,
          ...(checkpoint.data.condition
            ? {
                condition: {
                  rows: checkpoint.data.condition.rows,
                  hash: checkpoint.data.condition.hash,
                  ...(checkpoint.data.condition.classes !== undefined ? { classes: checkpoint.data.condition.classes } : {}),
                },
              }
            : {}),
        }
      : null,
    backend: checkpoint.backend ?? null,
    lrScale: checkpoint.lrScale ?? 1,
    rollbacks: checkpoint.rollbacks ?? 0,
    rollback: checkpoint.rollback ? { step: checkpoint.rollback.step, ...state(checkpoint.rollback) } : null,
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
  const V1_KEYS = ['format', 'version', 'recipe', 'step', 'seed', 'steps', 'batchSize', 'variables', 'optimizers', 'run', 'lossHistory'];
  const V2_KEYS = [...V1_KEYS, 'data', 'backend', 'lrScale', 'rollbacks', 'rollback'];
  checkKeys(raw, raw.version === 1 ? V1_KEYS : raw.version === 2 ? V2_KEYS : [...V2_KEYS, 'ema'], '', fail);
  if (raw.format !== CHECKPOINT_FORMAT) fail('format', `expected "${CHECKPOINT_FORMAT}", got ${preview(raw.format)}`);
  if (raw.version !== CHECKPOINT_VERSION && raw.version !== 2 && raw.version !== 1) {
    fail('version', typeof raw.version === 'number' && raw.version > CHECKPOINT_VERSION ? `version ${raw.version} was made by a newer pfm` : `expected ${CHECKPOINT_VERSION}, got ${preview(raw.version)}`);
  }
  const int = (key: string, min: number) => {
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(key, `expected an integer ≥ ${min}, got ${preview(v)}`);
    return v as number;
  };
  const v2 = raw.version === 2 || raw.version === CHECKPOINT_VERSION;
  const v3 = raw.version === CHECKPOINT_VERSION;
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
  type PendingState = {
    variables: Record<string, TensorRecord[]>;
    optimizers: Record<string, Record<string, TensorRecord[]>>;
    run?: { json: Record<string, unknown>; tensors: Record<string, TensorRecord> };
    ema?: Record<string, TensorRecord[]>;
  };
  const stateRecords = (from: Record<string, unknown>, prefix: string): PendingState => {
    const at = (key: string) => (prefix === '' ? key : jsonPath(prefix, key));
    const variables = namedLists(from.variables, at('variables'));
    if (!isPlainObject(from.optimizers)) fail(at('optimizers'), `expected an object, got ${preview(from.optimizers)}`);
    const optimizers: Record<string, Record<string, TensorRecord[]>> = {};
    for (const key of Object.keys(from.optimizers as object)) {
      if (FORBIDDEN_KEYS.has(key)) fail(jsonPath(at('optimizers'), key), `the key "${key}" is not allowed`);
      optimizers[key] = namedLists((from.optimizers as Record<string, unknown>)[key], jsonPath(at('optimizers'), key));
    }
    let run: PendingState['run'];
    if (from.run !== null && from.run !== undefined) {
      if (!isPlainObject(from.run)) fail(at('run'), `expected an object or null, got ${preview(from.run)}`);
      const r = from.run as Record<string, unknown>;
      checkKeys(r, ['json', 'tensors'], at('run'), fail);
      const tensors: Record<string, TensorRecord> = {};
      if (!isPlainObject(r.tensors)) fail(at('run.tensors'), `expected an object, got ${preview(r.tensors)}`);
      for (const key of Object.keys(r.tensors as object)) {
        if (FORBIDDEN_KEYS.has(key)) fail(jsonPath(at('run.tensors'), key), `the key "${key}" is not allowed`);
        tensors[key] = tensorRecord((r.tensors as Record<string, unknown>)[key], jsonPath(at('run.tensors'), key));
      }
      run = { json: copyJsonObject(r.json, at('run.json'), MAX_DEPTH, fail), tensors };
    }
    const ema = v3 && from.ema !== null && from.ema !== undefined ? namedLists(from.ema, at('ema')) : undefined;
    return { variables, optimizers, ...(run ? { run } : {}), ...(ema ? { ema } : {}) };
  };
  const main = stateRecords(raw, '');
  let rollbackState: (PendingState & { step: number }) | undefined;
  let data: DataFingerprint | undefined;
  let backend: string | undefined;
  let lrScale = 1;
  let rollbacks = 0;
  if (v2) {
    if (raw.data !== null) {
      const d = raw.data;
      if (!isPlainObject(d)) return fail('data', `expected { rows, cols, hash } or null, got ${preview(d)}`);
      checkKeys(d, ['rows', 'cols', 'hash', 'condition'], 'data', fail);
      for (const key of ['rows', 'cols'] as const) {
        if (typeof d[key] !== 'number' || !Number.isSafeInteger(d[key]) || (d[key] as number) < 1) fail(jsonPath('data', key), `expected a positive integer, got ${preview(d[key])}`);
      }
      if (typeof d.hash !== 'string' || !/^[0-9a-f]{16}$/.test(d.hash)) fail('data.hash', `expected 16 hex digits, got ${preview(d.hash)}`);
      data = { rows: d.rows as number, cols: d.cols as number, hash: d.hash as string };
      // The hash of a conditional run's labels or context rows (absent in unconditional runs and older files).
      if (d.condition !== undefined) {
        const c = d.condition;
        if (!isPlainObject(c)) return fail('data.condition', `expected { rows, hash, classes? }, got ${preview(c)}`);
        checkKeys(c, ['rows', 'hash', 'classes'], 'data.condition', fail);
        if (typeof c.rows !== 'number' || !Number.isSafeInteger(c.rows) || c.rows < 1) fail('data.condition.rows', `expected a positive integer, got ${preview(c.rows)}`);
        if (typeof c.hash !== 'string' || !/^[0-9a-f]{16}$/.test(c.hash)) fail('data.condition.hash', `expected 16 hex digits, got ${preview(c.hash)}`);
        // The class count of labels (absent for context rows and in files written before it was recorded).
        if (c.classes !== undefined && (typeof c.classes !== 'number' || !Number.isSafeInteger(c.classes) || c.classes < 1)) {
          fail('data.condition.classes', `expected a positive integer, got ${preview(c.classes)}`);
        }
        data.condition = { rows: c.rows as number, hash: c.hash as string, ...(c.classes !== undefined ? { classes: c.classes as number } : {}) };
      }
    }
    if (raw.backend !== null) {
      if (typeof raw.backend !== 'string' || raw.backend.length === 0 || raw.backend.length > 64) fail('backend', `expected a backend name or null, got ${preview(raw.backend)}`);
      backend = raw.backend as string;
    }
    if (typeof raw.lrScale !== 'number' || !(raw.lrScale > 0 && raw.lrScale <= 1)) fail('lrScale', `expected a number in (0, 1], got ${preview(raw.lrScale)}`);
    lrScale = raw.lrScale as number;
    rollbacks = int('rollbacks', 0);
    if (raw.rollback !== null) {
      if (!isPlainObject(raw.rollback)) return fail('rollback', `expected an object or null, got ${preview(raw.rollback)}`);
      checkKeys(raw.rollback, v3 ? ['step', 'variables', 'optimizers', 'run', 'ema'] : ['step', 'variables', 'optimizers', 'run'], 'rollback', fail);
      const rs = raw.rollback.step;
      if (typeof rs !== 'number' || !Number.isSafeInteger(rs) || rs < 0 || rs > step) fail('rollback.step', `expected an integer in [0, ${step}], got ${preview(rs)}`);
      rollbackState = { step: rs as number, ...stateRecords(raw.rollback, 'rollback') };
    }
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
    const decodeState = (p: PendingState, prefix: string): Omit<TrainingSnapshot, 'step'> => ({
      variables: Object.fromEntries(Object.entries(p.variables).map(([k, list]) => [k, list.map((r, i) => decode(r, `${prefix}variables.${k}[${i}]`))])),
      optimizers: Object.fromEntries(
        Object.entries(p.optimizers).map(([k, slots]) => [
          k,
          { slots: Object.fromEntries(Object.entries(slots).map(([s, list]) => [s, list.map((r, i) => decode(r, `${prefix}optimizers.${k}.${s}[${i}]`))])) },
        ]),
      ),
      ...(p.run
        ? { run: { json: p.run.json, tensors: Object.fromEntries(Object.entries(p.run.tensors).map(([k, r]) => [k, decode(r, `${prefix}run.tensors.${k}`)])) } }
        : {}),
      ...(p.ema ? { ema: Object.fromEntries(Object.entries(p.ema).map(([k, list]) => [k, list.map((r, i) => decode(r, `${prefix}ema.${k}[${i}]`))])) } : {}),
    });
    const checkpoint: Checkpoint = {
      step,
      seed,
      steps,
      batchSize,
      ...decodeState(main, ''),
      lossHistory,
      ...(data ? { data } : {}),
      ...(backend !== undefined ? { backend } : {}),
      lrScale,
      rollbacks,
      ...(rollbackState ? { rollback: { step: rollbackState.step, ...decodeState(rollbackState, 'rollback.') } } : {}),
    };
    return { checkpoint, recipe };
  } catch (error) {
    tf.dispose(created);
    throw error;
  }
}
