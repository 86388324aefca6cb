import { createCsvReader } from './csv-reader.js';
import type { DataParseOptions, DataTable } from './data-table.js';

/** Options of {@link parseCsv}. */
export interface CsvParseOptions extends DataParseOptions {
  /**
   * Whether the first row holds column names. `'auto'` (default): it does when none of its
   * cells looks like a number (empty cells allowed, as in pandas' index column).
   */
  header?: boolean | 'auto';
}

/**
 * Parses comma-separated numbers into a table [rows, cols].
 *
 * Accepted: an optional header row, cells padded with spaces, LF or CRLF line ends, a trailing
 * newline, blank lines (skipped), a UTF-8 byte-order mark, double-quoted cells (`"x, y"`, with
 * `""` for a quote, on one line). Refused with a {@link DataFileError}: an empty file, rows with
 * a different number of columns than the first, empty or non-numeric cells, NaN/Infinity and
 * values beyond the float32 range, and `#` comment lines (not part of CSV; numpy.savetxt writes
 * them unless given `comments=''`).
 *
 * Row numbers in errors are line numbers in the file, 1-based, as an editor shows them: the
 * header, if any, is row 1 and blank lines count. Columns are 1-based.
 */
export function parseCsv(text: string, options: CsvParseOptions = {}): DataTable {
  if (typeof text !== 'string') throw new TypeError(`parseCsv(${options.source ?? 'data'}): expected the file's text as a string`);
  const reader = createCsvReader(options);
  reader.push(text);
  return reader.end();
}
