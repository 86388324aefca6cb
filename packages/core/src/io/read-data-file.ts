// Node only.
import { readFile, stat } from 'node:fs/promises';
import { DataFileError } from './data-file-error.js';
import { dataFormatFromPath } from './data-format.js';
import type { DataTable } from './data-table.js';
import { decodeDataFile, type DataDecodeOptions } from './decode-data-file.js';

// V8 cannot hold a string longer than about 2^29 characters; bigger CSV or JSON files must be
// refused before reading rather than fail deep inside the decoder.
const MAX_TEXT_BYTES = 2 ** 29 - 64;

/**
 * Reads a data file into a table [rows, cols], the format chosen by the extension (`.csv`,
 * `.json`, `.npy`; others are refused with the list). Errors are {@link DataFileError}s that
 * start with `path` as given.
 */
export async function readDataFile(path: string, options: Omit<DataDecodeOptions, 'source'> = {}): Promise<DataTable> {
  const format = options.format ?? dataFormatFromPath(path);
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new DataFileError(`${path}: is a directory, not a data file`, { file: path });
    size = info.size;
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`;
    throw new DataFileError(`${path}: ${reason}`, { file: path, cause: error });
  }
  if (format !== 'npy' && size > MAX_TEXT_BYTES) {
    const reason = `is ${size} bytes, too large to read as ${format.toUpperCase()} text; use .npy for large data`;
    throw new DataFileError(`${path}: ${reason}`, { file: path });
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new DataFileError(`${path}: cannot read: ${(error as Error).message}`, { file: path, cause: error });
  }
  return decodeDataFile(bytes, { ...options, source: path, format });
}
