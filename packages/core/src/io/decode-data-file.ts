import { DataFileError } from './data-file-error.js';
import { dataFormatFromPath, type DataFormat } from './data-format.js';
import type { DataParseOptions, DataTable } from './data-table.js';
import { parseCsv } from './parse-csv.js';
import { parseJsonRows } from './parse-json-rows.js';
import { parseNpy } from './parse-npy.js';

/** Options of {@link decodeDataFile}. */
export interface DataDecodeOptions extends DataParseOptions {
  /** The format; by default taken from the extension of `source`. */
  format?: DataFormat;
  /** CSV only: whether the first row is a header (default `'auto'`, see parseCsv). */
  header?: boolean | 'auto';
}

/**
 * Reads the bytes of a data file (e.g. from a browser file input) into a table [rows, cols], by
 * format: CSV and JSON as UTF-8 text (parseCsv, parseJsonRows), NPY as binary (parseNpy).
 */
export function decodeDataFile(bytes: Uint8Array, options: DataDecodeOptions = {}): DataTable {
  const source = options.source ?? 'data';
  const format = options.format ?? dataFormatFromPath(source);
  const parse = { source, ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }) };
  if (format === 'npy') return parseNpy(bytes, parse);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new DataFileError(`${source}: not UTF-8 text`, { file: source, cause: error });
  }
  if (format === 'csv') return parseCsv(text, { ...parse, ...(options.header === undefined ? {} : { header: options.header }) });
  return parseJsonRows(text, parse);
}
