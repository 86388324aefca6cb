import { encodeFloat32Base64 } from './base64.js';
import { float32ToLittleEndian } from './little-endian.js';
import { checkCondition } from './check-condition.js';
import { copyJsonObject, isPlainObject, jsonPath, preview } from './json-value.js';
import { MODEL_FILE_FORMAT, MODEL_FILE_LIMITS, MODEL_FILE_VERSION, type ModelFileContent } from './model-file.js';
import { ModelFileError } from './model-file-error.js';
import { encodeSafetensors } from './safetensors-encode.js';
import { safetensorsFromFloat32 } from './safetensors-float32.js';
import {
  checkEventShape,
  checkId,
  checkLabel,
  checkRole,
  checkShape,
  checkWeightsFileName,
  firstNonFinite,
  unravelIndex,
  type Fail,
} from './model-file-checks.js';

/** Options of {@link encodeModelFile}. */
export interface ModelFileEncodeOptions {
  /**
   * `'inline'` (default): weights as base64 inside the JSON. `'binary'`: in a side file of raw
   * float32. `'safetensors'`: in a side safetensors file, one F32 tensor per weight, named
   * `<role>.<weight>` (`velocity.layer0.kernel`), which other tools read as they are.
   */
  weights?: 'inline' | 'binary' | 'safetensors';
  /**
   * Name of the side file, a plain file name (default `"model.bin"`, or `"model.safetensors"`); not for `'inline'`. A
   * function receives the side binary and names the file after it (e.g. after its hash).
   */
  weightsFileName?: string | ((binary: Uint8Array) => string);
  /** Name used in error messages (default `"model"`). */
  source?: string;
  /** Largest total of weights, in bytes; as the decoder's default so every file written can be read. */
  maxWeightBytes?: number;
}

/** What {@link encodeModelFile} produces: the JSON text, and the side binary for `'binary'`. */
export interface EncodedModelFile {
  json: string;
  binary?: Uint8Array;
}

/**
 * Writes a model as the versioned JSON model file (format `"pfm-model"`, version 1). Weights are
 * float32 little-endian, either base64 in each weight's `"data"`, or — with `weights: 'binary'` —
 * concatenated in a side binary, each weight giving its byte `"offset"` and `"length"` and the
 * top level naming the file in `"weightsFile"` — or, with `weights: 'safetensors'`, in a side
 * safetensors file, each weight naming its tensor in `"tensor"`.
 *
 * The content is checked as strictly as {@link decodeModelFile} checks a file (ids, shapes
 * against value counts, finite weights, plain-JSON options), so whatever is written can be read
 * back; a {@link ModelFileError} names the offending field otherwise.
 */
export function encodeModelFile(content: ModelFileContent, options: ModelFileEncodeOptions = {}): EncodedModelFile {
  const source = options.source ?? 'model';
  const mode = options.weights ?? 'inline';
  const maxWeightBytes = options.maxWeightBytes ?? MODEL_FILE_LIMITS.maxWeightBytes;
  const { maxDepth, maxRank } = MODEL_FILE_LIMITS;
  const fail: Fail = (path, detail) => {
    throw new ModelFileError(source, path, detail);
  };
  if (mode !== 'inline' && mode !== 'binary' && mode !== 'safetensors') {
    fail('', `options.weights must be "inline", "binary" or "safetensors", got ${preview(mode)}`);
  }
  if (!isPlainObject(content)) fail('', `expected the model content as an object, got ${preview(content)}`);
  const nameOption = options.weightsFileName ?? (mode === 'safetensors' ? 'model.safetensors' : 'model.bin');
  // The reader tells the two side formats apart by the name, so the name must match the bytes.
  const checkSideName = (name: unknown): string => {
    const checked = checkWeightsFileName(name, 'weightsFile', fail);
    if ((mode === 'safetensors') !== /\.safetensors$/i.test(checked)) {
      fail('weightsFile', `${preview(checked)}: a safetensors side file's name ends in ".safetensors", and only its name does`);
    }
    return checked;
  };
  let weightsFile = mode !== 'inline' && typeof nameOption === 'string' ? checkSideName(nameOption) : undefined;

  const method = checkId(content.method, 'method', fail);
  const methodOptions = copyJsonObject(content.options, 'options', maxDepth, fail);
  if (typeof content.dim !== 'number' || !Number.isSafeInteger(content.dim) || content.dim < 1) {
    fail('dim', `expected a positive integer, got ${preview(content.dim)}`);
  }
  const eventShape = content.eventShape === undefined ? undefined : checkEventShape(content.eventShape, content.dim, 'eventShape', maxRank, fail);
  const condition = content.condition === undefined ? undefined : checkCondition(content.condition, 'condition', fail);
  if (!Array.isArray(content.plugins)) fail('plugins', `expected an array of { name, version }, got ${preview(content.plugins)}`);
  const seenPlugins = new Set<string>();
  const plugins = content.plugins.map((p, i) => {
    const path = jsonPath('plugins', i);
    if (!isPlainObject(p)) fail(path, `expected { name, version }, got ${preview(p)}`);
    const name = checkLabel(p.name, `${path}.name`, fail);
    if (seenPlugins.has(name)) fail(`${path}.name`, `plugin ${preview(name)} is listed twice`);
    seenPlugins.add(name);
    return { name, version: checkLabel(p.version, `${path}.version`, fail, true) };
  });
  const extra = copyJsonObject(content.extra, 'extra', maxDepth, fail);
  const training = content.training === undefined ? undefined : copyJsonObject(content.training, 'training', maxDepth, fail);

  if (!isPlainObject(content.maps)) fail('maps', `expected an object of maps by role, got ${preview(content.maps)}`);
  const maxCount = Math.floor(maxWeightBytes / 4);
  let totalBytes = 0;
  const pending: { record: Record<string, unknown>; values: Float32Array; role: string }[] = [];
  const maps: Record<string, unknown> = {};
  for (const role of Object.keys(content.maps)) {
    const mapPath = jsonPath('maps', role);
    checkRole(role, mapPath, fail);
    const map = content.maps[role];
    if (!isPlainObject(map)) fail(mapPath, `expected { type, options, weights }, got ${preview(map)}`);
    const type = checkId(map.type, `${mapPath}.type`, fail);
    const mapOptions = copyJsonObject(map.options, `${mapPath}.options`, maxDepth, fail);
    if (!Array.isArray(map.weights)) fail(`${mapPath}.weights`, `expected an array of weights, got ${preview(map.weights)}`);
    const names = new Set<string>();
    const weights = map.weights.map((w, i) => {
      const path = jsonPath(`${mapPath}.weights`, i);
      if (!isPlainObject(w)) fail(path, `expected { name, shape, values }, got ${preview(w)}`);
      const name = checkLabel(w.name, `${path}.name`, fail);
      if (names.has(name)) fail(`${path}.name`, `duplicate weight name ${preview(name)} in this map`);
      names.add(name);
      const count = checkShape(w.shape, `${path}.shape`, maxRank, maxCount, fail);
      const shape = [...(w.shape as number[])];
      if (!(w.values instanceof Float32Array)) fail(`${path}.values`, `expected a Float32Array, got ${preview(w.values)}`);
      const values = w.values as Float32Array;
      if (values.length !== count) {
        fail(`${path}.values`, `has ${values.length} values but shape ${preview(shape)} needs ${count}`);
      }
      const bad = firstNonFinite(values);
      if (bad >= 0) {
        fail(`${path}.values`, `value at index [${unravelIndex(bad, shape).join(', ')}] is ${values[bad]} (weights must be finite)`);
      }
      totalBytes += count * 4;
      if (totalBytes > maxWeightBytes) fail(path, `the weights total more than ${maxWeightBytes} bytes (the maxWeightBytes limit)`);
      const record: Record<string, unknown> = { name, shape, dtype: 'float32' };
      pending.push({ record, values, role });
      return record;
    });
    maps[role] = { type, options: mapOptions, weights };
  }

  let binary: Uint8Array | undefined;
  if (mode === 'binary') {
    binary = new Uint8Array(totalBytes);
    let offset = 0;
    for (const { record, values } of pending) {
      binary.set(float32ToLittleEndian(values), offset);
      record.offset = offset;
      record.length = values.length * 4;
      offset += values.length * 4;
    }
    if (typeof nameOption === 'function') weightsFile = checkSideName(nameOption(binary));
  } else if (mode === 'safetensors') {
    const used = new Set<string>();
    const tensors = pending.map(({ record, values, role }) => {
      const name = record.name as string;
      // The readable name when it is free; `<role>.<name>` is unique anyway (roles have no ".").
      let tensor = `${role}.${name.replace(/^\d+:/, '').replaceAll('/', '.')}`;
      if (used.has(tensor)) tensor = `${role}.${name}`;
      used.add(tensor);
      record.tensor = tensor;
      return safetensorsFromFloat32(tensor, record.shape as number[], values);
    });
    binary = encodeSafetensors({ tensors, metadata: { format: MODEL_FILE_FORMAT, method } }, { source });
    if (typeof nameOption === 'function') weightsFile = checkSideName(nameOption(binary));
  } else {
    for (const { record, values } of pending) record.data = encodeFloat32Base64(values);
  }

  const file: Record<string, unknown> = { format: MODEL_FILE_FORMAT, version: MODEL_FILE_VERSION };
  if (weightsFile !== undefined) file.weightsFile = weightsFile;
  file.method = method;
  file.options = methodOptions;
  file.dim = content.dim;
  if (eventShape !== undefined) file.eventShape = eventShape;
  if (condition !== undefined) file.condition = condition;
  file.plugins = plugins;
  file.maps = maps;
  file.extra = extra;
  if (training !== undefined) file.training = training;
  const json = JSON.stringify(file, null, 2) + '\n';
  if (json.length > MODEL_FILE_LIMITS.maxJsonLength) {
    const limit = MODEL_FILE_LIMITS.maxJsonLength;
    fail('', `the JSON would be ${json.length} characters, over the ${limit} limit; write the weights as 'binary'`);
  }
  return binary === undefined ? { json } : { json, binary };
}
