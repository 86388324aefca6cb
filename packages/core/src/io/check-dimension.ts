import { DataFileError } from './data-file-error.js';
import type { DataTable } from './data-table.js';

/**
 * Throws a {@link DataFileError} unless the table has `dim` columns, e.g.
 * `data.csv has 3 columns but the model expects 2`.
 */
export function checkDimension(table: DataTable, dim: number, source = 'data'): void {
  if (table.cols !== dim) {
    const columns = `${table.cols} column${table.cols === 1 ? '' : 's'}`;
    throw new DataFileError(`${source} has ${columns} but the model expects ${dim}`, { file: source });
  }
}
