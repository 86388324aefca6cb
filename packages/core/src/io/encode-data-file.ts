import type { DataFormat } from './data-format.js';
import type { DataTable } from './data-table.js';
import { encodeNpy } from './encode-npy.js';
import { formatCsv } from './format-csv.js';
import { formatJsonRows } from './format-json-rows.js';

/** The bytes of a table [rows, cols] as a data file of this format (CSV and JSON as UTF-8). */
export function encodeDataFile(table: DataTable, format: DataFormat): Uint8Array {
  switch (format) {
    case 'csv':
      return new TextEncoder().encode(formatCsv(table));
    case 'json':
      return new TextEncoder().encode(formatJsonRows(table));
    case 'npy':
      return encodeNpy(table);
    default:
      throw new TypeError(`encodeDataFile: unknown format ${JSON.stringify(format)} (known: csv, json, npy)`);
  }
}
