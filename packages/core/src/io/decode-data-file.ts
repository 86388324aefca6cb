import { createCsvReader } from './csv-reader.js';
import { DataFileError } from './data-file-error.js';
import { dataFormatFromPath, type DataFormat } from './data-format.js';
import type { DataParseOptions, DataTable } from './data-table.js';
import { createJsonRowsReader } from './json-rows-reader.js';
import { parseJsonRows } from './parse-json-rows.js';
import { parseNpy } from './parse-npy.js';

/** Options of {@link decodeDataFile}. */
export interface DataDecodeOptions extends DataParseOptions {
  /** The format; by default taken from the extension of `source`. */
  format?: DataFormat;
  /** CSV only: whether the first row is a header (default `'auto'`, see parseCsv). */
  header?: boolean | 'auto';
}

// Text is decoded and parsed this many bytes at a time, so the whole file never exists as one
// string next to its bytes.
const CHUNK_BYTES = 1 << 20;

/**
 * Reads the bytes of a data file (e.g. from a browser file input) into a table [rows, cols], by
 * format: CSV and JSON as UTF-8 text (as parseCsv, parseJsonRows), NPY as binary (parseNpy).
 * Text is decoded and parsed in chunks of 1 MiB; bytes that are not UTF-8 are refused.
 */
export function decodeDataFile(bytes: Uint8Array, options: DataDecodeOptions = {}): DataTable {
  const source = options.source ?? 'data';
  const format = options.format ?? dataFormatFromPath(source);
  const parse = { source, ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }) };
  if (format === 'npy') return parseNpy(bytes, parse);
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`decodeDataFile(${source}): expected the file's bytes as a Uint8Array`);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (start: number): string => {
    const end = Math.min(start + CHUNK_BYTES, bytes.length);
    try {
      return decoder.decode(bytes.subarray(start, end), { stream: end < bytes.length });
    } catch (error) {
      throw new DataFileError(`${source}: not UTF-8 text (an invalid byte sequence at or after byte ${start})`, { file: source, cause: error });
    }
  };
  if (format === 'csv') {
    const reader = createCsvReader({ ...parse, ...(options.header === undefined ? {} : { header: options.header }) });
    for (let start = 0; start < bytes.length; start += CHUNK_BYTES) reader.push(decode(start));
    return reader.end();
  }
  const reader = createJsonRowsReader(parse);
  let start = 0;
  for (; start < bytes.length; start += CHUNK_BYTES) if (!reader.push(decode(start))) break;
  const table = start >= bytes.length ? reader.end() : undefined;
  if (table) return table;
  // Not the simple shape: JSON.parse the whole text for a precise message (or an unusual layout).
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new DataFileError(`${source}: not UTF-8 text`, { file: source, cause: error });
  }
  return parseJsonRows(text, parse);
}
