// A file of class labels, one per row (a CSV or JSON with one column, e.g. the `label` file that
// `pfm data … --labels` writes, or an .npy of shape (n,) or (n, 1)).
import { readDataFile } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';

/**
 * The labels of `path` as integers ≥ 0, checked to be `rows` of them when `rows` is given.
 * Errors (CliError, exit 2) name the flag, the file, the row and the value.
 */
export async function readLabelsFile(path: string, flag: string, rows?: number): Promise<Int32Array> {
  const table = await readDataFile(path).catch((error: unknown) => {
    throw new CliError(`${flag} ${path}: ${(error as Error).message}`);
  });
  if (table.cols !== 1) throw new CliError(`${flag} ${path}: expected one column of class labels, got ${table.cols} columns`);
  if (rows !== undefined && table.rows !== rows) {
    throw new CliError(`${flag} ${path}: has ${table.rows} labels, expected one per data row (${rows})`);
  }
  const labels = new Int32Array(table.rows);
  table.values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0) throw new CliError(`${flag} ${path}: row ${i + 1} holds ${v}, expected a class label (an integer ≥ 0)`);
    labels[i] = v;
  });
  return labels;
}
