import type { DataParseOptions, DataTable } from './data-table.js';
import { DEFAULT_MAX_DATA_BYTES } from './data-table.js';
import { checkNpyDataLength, npyValues, readNpyLayout } from './npy-layout.js';

/**
 * Reads a NumPy `.npy` file (format 1.0, 2.0 or 3.0) into a table [rows, cols]. Accepted:
 * dtypes `'<f4'` and `'<f8'` (float64 is rounded to float32), C order, shape `(n,)` (read as
 * one column), `(n, d)`, or images `(n, h, w, c)` and `(n, h, w)` (read as c = 1): one row of
 * h·w·c values per image, row-major, and the table's `shape` is `[h, w, c]`. The header is parsed as a literal, never evaluated, and checked
 * strictly: exactly the keys descr, fortran_order and shape, and a data section of exactly
 * n · d · itemsize bytes.
 *
 * Refused with a {@link DataFileError}: a bad magic or version, big-endian or other dtypes,
 * Fortran order, other ranks (0, or 5 and more), zero rows or columns, sizes over `maxBytes` (checked before
 * allocating), truncated or over-long data, and NaN/Infinity values (named by 1-based row and
 * column, with the 0-based numpy index).
 */
export function parseNpy(bytes: Uint8Array, options: DataParseOptions = {}): DataTable {
  const source = options.source ?? 'data';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DATA_BYTES;
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`parseNpy(${source}): expected the file's bytes as a Uint8Array`);
  const layout = readNpyLayout(bytes, source, maxBytes);
  checkNpyDataLength(layout, bytes.length - layout.dataStart, source);
  const values = npyValues(bytes.subarray(layout.dataStart), layout, source);
  return { rows: layout.rows, cols: layout.cols, values, ...(layout.eventShape ? { shape: layout.eventShape } : {}) };
}
