// A file of class labels, one per row (a CSV or JSON with one column, e.g. the `label` file that
// `pfm data … --labels` writes, or an .npy of shape (n,) or (n, 1)).
import { MAX_CONDITION_SIZE } from '@pfm/core';
import { readDataFile } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';

/**
 * The labels of `path` as integers in 0…MAX_CONDITION_SIZE − 1 (the most classes a model can
 * have), checked to be `rows` of them when `rows` is given. A label outside that range is refused,
 * not wrapped around by the int32 array (4294967297 would otherwise become class 1). Errors
 * (CliError, exit 2) name the flag, the file, the row (and the line of a CSV with a header) and
 * the value.
 */
export async function readLabelsFile(path: string, flag: string, rows?: number): Promise<Int32Array> {
  const table = await readDataFile(path).catch((error: unknown) => {
    // The reader's message starts with the path already; say it once.
    const message = (error as Error).message;
    throw new CliError(`${flag} ${path}: ${message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message}`);
  });
  if (table.cols !== 1) throw new CliError(`${flag} ${path}: expected one column of class labels, got ${table.cols} columns`);
  if (rows !== undefined && table.rows !== rows) {
    throw new CliError(`${flag} ${path}: has ${table.rows} labels, expected one per data row (${rows})`);
  }
  const labels = new Int32Array(table.rows);
  table.values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= MAX_CONDITION_SIZE) {
      const where = table.header ? `row ${i + 1} (line ${i + 2})` : `row ${i + 1}`;
      throw new CliError(`${flag} ${path}: ${where} holds ${v}, expected a class label (an integer in 0…${MAX_CONDITION_SIZE - 1})`);
    }
    labels[i] = v;
  });
  return labels;
}
