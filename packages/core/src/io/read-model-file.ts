// Node only.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodeModelFileValue, isSafetensorsWeightsFile, modelFileWeightsFile, type ModelFileDecodeOptions } from './decode-model-file.js';
import { MODEL_FILE_LIMITS, type ModelFileContent } from './model-file.js';
import { ModelFileError } from './model-file-error.js';
import { SAFETENSORS_LIMITS } from './safetensors.js';

/**
 * Reads and validates a model file (see decodeModelFile). When it names a side file in
 * `"weightsFile"` (raw float32, or a `*.safetensors` file), that must be a plain file name — no
 * path separators, no `..` — and is read from the model's own directory. File sizes are checked against the limits before reading.
 */
export async function readModelFile(
  path: string,
  options: Omit<ModelFileDecodeOptions, 'binary' | 'source'> = {},
): Promise<ModelFileContent> {
  const maxJsonLength = options.maxJsonLength ?? MODEL_FILE_LIMITS.maxJsonLength;
  const maxWeightBytes = options.maxWeightBytes ?? MODEL_FILE_LIMITS.maxWeightBytes;
  const bytes = await readLimited(path, maxJsonLength, path, '');
  let text: string;
  try {
    // Strict: a byte that is not UTF-8 is an error, not a silent U+FFFD inside a name or option.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ModelFileError(path, '', 'not UTF-8 text', { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(path, '', `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const weightsFile = modelFileWeightsFile(data, path);
  // A safetensors side file also holds its header besides the weights.
  const sideLimit =
    weightsFile !== undefined && isSafetensorsWeightsFile(weightsFile) ? maxWeightBytes + 8 + SAFETENSORS_LIMITS.maxHeaderBytes : maxWeightBytes;
  const binary =
    weightsFile === undefined ? undefined : await readLimited(join(dirname(path), weightsFile), sideLimit, path, 'weightsFile');
  return decodeModelFileValue(data, { ...options, source: path, ...(binary === undefined ? {} : { binary }) });
}

// Reads a regular file of at most `limit` bytes. Devices and pipes are refused: their size is not
// known in advance (stat says 0), so reading one (e.g. a link to /dev/zero) might never end.
async function readLimited(file: string, limit: number, source: string, field: string): Promise<Uint8Array> {
  const what = field ? `the weights file "${file}"` : 'the file';
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new ModelFileError(source, field, `${what} is a directory`);
    if (!info.isFile()) throw new ModelFileError(source, field, `${what} is not a regular file (a device, pipe or socket)`);
    if (info.size > limit) throw new ModelFileError(source, field, `${what} has ${info.size} bytes, more than the limit (${limit})`);
    const bytes = new Uint8Array(await readFile(file));
    // The file may have grown since stat.
    if (bytes.byteLength > limit) throw new ModelFileError(source, field, `${what} has ${bytes.byteLength} bytes, more than the limit (${limit})`);
    return bytes;
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`;
    throw new ModelFileError(source, field, `${what} ${reason}`, { cause: error });
  }
}
