import { decodeFloat32Base64 } from './base64.js';
import { float32FromLittleEndian } from './little-endian.js';
import { checkCondition } from './check-condition.js';
import { copyJsonObject, isPlainObject, jsonPath, kindOf, preview } from './json-value.js';
import {
  MODEL_FILE_FORMAT,
  MODEL_FILE_LIMITS,
  MODEL_FILE_VERSION,
  type MapRecord,
  type ModelFileContent,
  type WeightRecord,
} from './model-file.js';
import { ModelFileError } from './model-file-error.js';
import type { SafetensorsTensor } from './safetensors.js';
import { decodeSafetensors, safetensorsField } from './safetensors-decode.js';
import { SafetensorsError } from './safetensors-error.js';
import {
  checkEventShape,
  checkId,
  checkKeys,
  checkLabel,
  checkRole,
  checkShape,
  checkWeightsFileName,
  firstNonFinite,
  unravelIndex,
  type Fail,
} from './model-file-checks.js';

/** Options of {@link decodeModelFile}. */
export interface ModelFileDecodeOptions {
  /** The bytes of the side binary named by the file's `weightsFile`, when it has one. */
  binary?: Uint8Array;
  /** Name used in error messages, usually the file name (default `"model"`). */
  source?: string;
  /** Largest total of declared weights in bytes, checked before decoding (default 2^31). */
  maxWeightBytes?: number;
  /** Largest JSON text in UTF-16 code units, checked before parsing (default 256 Mi). */
  maxJsonLength?: number;
  /** Deepest nesting of options, extra and training (default 32). */
  maxDepth?: number;
}

const TOP_KEYS = ['format', 'version', 'weightsFile', 'method', 'options', 'dim', 'eventShape', 'condition', 'plugins', 'maps', 'extra', 'training'];
const MAP_KEYS = ['type', 'options', 'weights'];
const INLINE_WEIGHT_KEYS = ['name', 'shape', 'dtype', 'data'];
const BINARY_WEIGHT_KEYS = ['name', 'shape', 'dtype', 'offset', 'length'];
const SAFETENSORS_WEIGHT_KEYS = ['name', 'shape', 'dtype', 'tensor'];

/** True when a model file's side file is a safetensors file (by its name, `*.safetensors`). */
export function isSafetensorsWeightsFile(name: string): boolean {
  return /\.safetensors$/i.test(name);
}

/**
 * Reads a model file's JSON text (and its side binary, if it names one) into
 * {@link ModelFileContent}. Parsed with JSON.parse, then every field is checked by hand before
 * use, and nothing from the file is ever evaluated:
 * format and version (a newer version says so), kebab-case ids, `dim`, the optional `eventShape`
 * (positive integers whose product is `dim`; files without it still load), every shape (rank,
 * non-negative integers, total size within `maxWeightBytes` — all before anything is decoded or
 * allocated), dtype `float32`, base64 text of exactly 4·prod(shape) bytes, binary ranges inside
 * the binary and not overlapping (a side `*.safetensors` file: read by decodeSafetensors, each
 * weight's `"tensor"` an F32 tensor of its shape, every tensor used by exactly one weight),
 * weight names unique in each map, finite weights, no unknown
 * fields, no `__proto__` / `constructor` / `prototype` keys anywhere, nesting of options at
 * most `maxDepth`, and the JSON length. Results are fresh objects copied field by field.
 *
 * Throws a {@link ModelFileError} naming the source and the JSON path of the bad field.
 */
export function decodeModelFile(json: string, options: ModelFileDecodeOptions = {}): ModelFileContent {
  const source = options.source ?? 'model';
  const maxJsonLength = options.maxJsonLength ?? MODEL_FILE_LIMITS.maxJsonLength;
  if (typeof json !== 'string') throw new ModelFileError(source, '', `expected the JSON text as a string, got ${kindOf(json)}`);
  if (json.length > maxJsonLength) {
    throw new ModelFileError(source, '', `the JSON text has ${json.length} characters, more than the limit (${maxJsonLength})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new ModelFileError(source, '', `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return decodeModelFileValue(data, options);
}

/** The `weightsFile` a parsed model file names, checked to be a plain file name; undefined if none. */
export function modelFileWeightsFile(data: unknown, source: string): string | undefined {
  if (!isPlainObject(data) || !Object.hasOwn(data, 'weightsFile')) return undefined;
  return checkWeightsFileName(data.weightsFile, 'weightsFile', (path, detail) => {
    throw new ModelFileError(source, path, detail);
  });
}

/** {@link decodeModelFile} for an already parsed JSON value (used by readModelFile). */
export function decodeModelFileValue(data: unknown, options: ModelFileDecodeOptions = {}): ModelFileContent {
  const source = options.source ?? 'model';
  const maxWeightBytes = options.maxWeightBytes ?? MODEL_FILE_LIMITS.maxWeightBytes;
  const maxDepth = options.maxDepth ?? MODEL_FILE_LIMITS.maxDepth;
  const maxRank = MODEL_FILE_LIMITS.maxRank;
  const fail: Fail = (path, detail) => {
    throw new ModelFileError(source, path, detail);
  };

  if (!isPlainObject(data)) return fail('', `expected a JSON object (a pfm model file), got ${kindOf(data)}`);
  if (data.format !== MODEL_FILE_FORMAT) {
    fail(
      'format',
      data.format === undefined
        ? `missing; this is not a pfm model file (expected "format": "${MODEL_FILE_FORMAT}")`
        : `expected "${MODEL_FILE_FORMAT}", got ${preview(data.format)}`,
    );
  }
  const version = data.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    fail('version', `expected a positive integer, got ${preview(version)}`);
  }
  if ((version as number) > MODEL_FILE_VERSION) {
    const versions = `model file version ${version}; this pfm reads up to version ${MODEL_FILE_VERSION}`;
    fail('version', `the file was made by a newer pfm (${versions}); upgrade pfm to read it`);
  }
  checkKeys(data, TOP_KEYS, '', fail);
  for (const key of ['method', 'options', 'dim', 'plugins', 'maps', 'extra']) {
    if (!Object.hasOwn(data, key)) fail(key, 'missing');
  }

  const method = checkId(data.method, 'method', fail);
  const methodOptions = copyJsonObject(data.options, 'options', maxDepth, fail);
  const dim = data.dim;
  if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 1) fail('dim', `expected a positive integer, got ${preview(dim)}`);
  const eventShape = Object.hasOwn(data, 'eventShape') ? checkEventShape(data.eventShape, dim as number, 'eventShape', maxRank, fail) : undefined;
  const condition = Object.hasOwn(data, 'condition') ? checkCondition(data.condition, 'condition', fail) : undefined;

  if (!Array.isArray(data.plugins)) fail('plugins', `expected an array of { name, version }, got ${preview(data.plugins)}`);
  const seenPlugins = new Set<string>();
  const plugins = (data.plugins as unknown[]).map((p, i) => {
    const path = jsonPath('plugins', i);
    if (!isPlainObject(p)) fail(path, `expected { name, version }, got ${preview(p)}`);
    const plugin = p as Record<string, unknown>;
    checkKeys(plugin, ['name', 'version'], path, fail);
    const name = checkLabel(plugin.name, `${path}.name`, fail);
    if (seenPlugins.has(name)) fail(`${path}.name`, `plugin ${preview(name)} is listed twice`);
    seenPlugins.add(name);
    return { name, version: checkLabel(plugin.version, `${path}.version`, fail, true) };
  });
  const extra = copyJsonObject(data.extra, 'extra', maxDepth, fail);
  const training = data.training === undefined ? undefined : copyJsonObject(data.training, 'training', maxDepth, fail);

  const weightsFile = Object.hasOwn(data, 'weightsFile') ? checkWeightsFileName(data.weightsFile, 'weightsFile', fail) : undefined;
  const binary = options.binary;
  if (weightsFile !== undefined && binary === undefined) {
    fail('weightsFile', `the weights are in ${preview(weightsFile)}; its bytes are needed to read this model`);
  }
  if (binary !== undefined && !(binary instanceof Uint8Array)) fail('', 'options.binary must be a Uint8Array');
  let safetensors: Map<string, SafetensorsTensor> | undefined;
  if (weightsFile !== undefined && isSafetensorsWeightsFile(weightsFile)) {
    try {
      const decoded = decodeSafetensors(binary as Uint8Array, { source: weightsFile, maxDataBytes: maxWeightBytes });
      safetensors = new Map(decoded.tensors.map((t) => [t.name, t]));
    } catch (error) {
      if (!(error instanceof SafetensorsError)) throw error;
      throw new ModelFileError(source, 'weightsFile', error.message, { cause: error });
    }
  }
  const usedTensors = new Map<string, string>();

  // Pass 1: structure, shapes and sizes of every weight, before decoding or allocating any.
  if (!isPlainObject(data.maps)) fail('maps', `expected an object of maps by role, got ${preview(data.maps)}`);
  const rawMaps = data.maps as Record<string, unknown>;
  const maxCount = Math.floor(maxWeightBytes / 4);
  let totalBytes = 0;
  interface Pending {
    path: string;
    name: string;
    shape: number[];
    count: number;
    data?: string;
    offset?: number;
    tensor?: SafetensorsTensor;
  }
  const plan: { role: string; type: string; options: Record<string, unknown>; weights: Pending[] }[] = [];
  for (const role of Object.keys(rawMaps)) {
    const mapPath = jsonPath('maps', role);
    checkRole(role, mapPath, fail);
    const map = rawMaps[role];
    if (!isPlainObject(map)) fail(mapPath, `expected { type, options, weights }, got ${preview(map)}`);
    const m = map as Record<string, unknown>;
    checkKeys(m, MAP_KEYS, mapPath, fail);
    const type = checkId(m.type, `${mapPath}.type`, fail);
    const mapOptions = copyJsonObject(m.options, `${mapPath}.options`, maxDepth, fail);
    if (!Array.isArray(m.weights)) fail(`${mapPath}.weights`, `expected an array of weights, got ${preview(m.weights)}`);
    const names = new Set<string>();
    const weights = (m.weights as unknown[]).map((raw, i): Pending => {
      const path = jsonPath(`${mapPath}.weights`, i);
      if (!isPlainObject(raw)) fail(path, `expected a weight object, got ${preview(raw)}`);
      const w = raw as Record<string, unknown>;
      checkKeys(w, weightsFile === undefined ? INLINE_WEIGHT_KEYS : safetensors ? SAFETENSORS_WEIGHT_KEYS : BINARY_WEIGHT_KEYS, path, fail);
      const name = checkLabel(w.name, `${path}.name`, fail);
      if (names.has(name)) fail(`${path}.name`, `duplicate weight name ${preview(name)} in this map`);
      names.add(name);
      const count = checkShape(w.shape, `${path}.shape`, maxRank, maxCount, fail);
      totalBytes += count * 4;
      if (totalBytes > maxWeightBytes) {
        fail(`${path}.shape`, `the declared weights total more than ${maxWeightBytes} bytes (the maxWeightBytes limit)`);
      }
      if (w.dtype !== 'float32') fail(`${path}.dtype`, `expected "float32", got ${preview(w.dtype)}`);
      const shape = [...(w.shape as number[])];
      if (weightsFile === undefined) {
        if (typeof w.data !== 'string') fail(`${path}.data`, `expected a base64 string, got ${preview(w.data)}`);
        return { path, name, shape, count, data: w.data as string };
      }
      if (safetensors) {
        const key = checkLabel(w.tensor, `${path}.tensor`, fail);
        const tensor = safetensors.get(key);
        if (tensor === undefined) fail(`${path}.tensor`, `${weightsFile} has no tensor ${preview(key)}`);
        const other = usedTensors.get(key);
        if (other !== undefined) fail(`${path}.tensor`, `tensor ${preview(key)} is already read by ${other}`);
        usedTensors.set(key, path);
        const t = tensor as SafetensorsTensor;
        if (t.dtype !== 'F32') fail(`${path}.tensor`, `${safetensorsField(key)} in ${weightsFile} has dtype ${t.dtype}, expected F32`);
        if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k])) {
          fail(`${path}.tensor`, `${safetensorsField(key)} in ${weightsFile} has shape ${preview(t.shape)}, the weight ${preview(shape)}`);
        }
        return { path, name, shape, count, tensor: t };
      }
      const offset = w.offset;
      const length = w.length;
      if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
        fail(`${path}.offset`, `expected a non-negative integer byte offset, got ${preview(offset)}`);
      }
      const bytes = count * 4;
      if (length !== bytes) {
        fail(`${path}.length`, `expected ${bytes} bytes (4 · ${count} values of shape ${preview(shape)}), got ${preview(length)}`);
      }
      const start = offset as number;
      const available = (binary as Uint8Array).byteLength;
      if (start + bytes > available) {
        fail(`${path}.offset`, `bytes ${start}..${start + bytes} lie outside the weights file (${available} bytes)`);
      }
      return { path, name, shape, count, offset: start };
    });
    plan.push({ role, type, options: mapOptions, weights });
  }
  if (safetensors) {
    const unused = [...safetensors.keys()].filter((k) => !usedTensors.has(k));
    if (unused.length > 0) {
      const shown = unused.slice(0, 8).map((k) => JSON.stringify(k)).join(', ') + (unused.length > 8 ? `, … ${unused.length - 8} more` : '');
      fail('weightsFile', `${weightsFile} holds tensors no weight reads: ${shown}`);
    }
  } else if (weightsFile !== undefined) {
    const ranges = plan.flatMap((m) => m.weights).filter((w) => w.count > 0);
    ranges.sort((a, b) => (a.offset as number) - (b.offset as number));
    for (let i = 1; i < ranges.length; i++) {
      const previous = ranges[i - 1] as Pending;
      const current = ranges[i] as Pending;
      if ((current.offset as number) < (previous.offset as number) + previous.count * 4) {
        fail(`${current.path}.offset`, `bytes overlap those of ${previous.path}`);
      }
    }
    // Ranges are inside the file and disjoint, so they cover it exactly when their sizes add up
    // to its length: bytes no weight claims mean a different or damaged file, not padding.
    const available = (binary as Uint8Array).byteLength;
    if (totalBytes !== available) {
      fail('weightsFile', `the weights file has ${available} bytes but the weights declare ${totalBytes} (extra bytes no weight reads)`);
    }
  }

  // Pass 2: decode and check the values.
  const maps: Record<string, MapRecord> = {};
  for (const m of plan) {
    const weights: WeightRecord[] = m.weights.map((w) => {
      let values: Float32Array;
      if (w.tensor !== undefined) {
        values = float32FromLittleEndian(w.tensor.data, 0, w.count);
      } else if (w.data !== undefined) {
        try {
          values = decodeFloat32Base64(w.data, w.count);
        } catch (error) {
          return fail(`${w.path}.data`, (error as Error).message);
        }
      } else {
        values = float32FromLittleEndian(binary as Uint8Array, w.offset as number, w.count);
      }
      const bad = firstNonFinite(values);
      if (bad >= 0) {
        fail(w.path, `value at index [${unravelIndex(bad, w.shape).join(', ')}] is ${values[bad]} (weights must be finite)`);
      }
      return { name: w.name, shape: w.shape, values };
    });
    maps[m.role] = { type: m.type, options: m.options, weights };
  }

  const content: ModelFileContent = { method, options: methodOptions, dim: dim as number, plugins, maps, extra };
  if (eventShape !== undefined) content.eventShape = eventShape;
  if (condition !== undefined) content.condition = condition;
  if (training !== undefined) content.training = training;
  return content;
}
