// A file of context vectors, one row per data row or per sample (a CSV, JSON or .npy of m columns):
// the condition c ∈ R^m of a model trained with `pfm train --context`.
import { readDataFile } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';

/** Context vectors `[rows, dim]`, row-major. */
export interface ContextRows {
  values: Float32Array;
  rows: number;
  dim: number;
}

/**
 * The context vectors of `path`, finite numbers, checked to be `rows` rows when `rows` is given
 * and `dim` columns when `dim` is given. Errors (CliError, exit 2, one line) name the flag, the
 * file, the row and what was expected.
 */
export async function readContextFile(path: string, flag: string, expected: { rows?: number; rowsWhat?: string; dim?: number; dimWhat?: string } = {}): Promise<ContextRows> {
  const table = await readDataFile(path).catch((error: unknown) => {
    // The reader's messages start with the path already.
    const message = (error as Error).message;
    throw new CliError(`${flag} ${message.startsWith(path) ? message : `${path}: ${message}`}`);
  });
  if (table.shape !== undefined) throw new CliError(`${flag} ${path}: holds images of shape [${table.shape.join(', ')}], expected context vectors (one row of numbers per data row)`);
  if (expected.dim !== undefined && table.cols !== expected.dim) {
    throw new CliError(`${flag} ${path}: has ${table.cols} column(s), expected context vectors of dimension ${expected.dim}${expected.dimWhat ? ` (${expected.dimWhat})` : ''}`);
  }
  if (expected.rows !== undefined && table.rows !== expected.rows) {
    throw new CliError(`${flag} ${path}: has ${table.rows} row(s), expected ${expected.rows}${expected.rowsWhat ? ` (${expected.rowsWhat})` : ''}`);
  }
  const bad = table.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new CliError(`${flag} ${path}: row ${Math.floor(bad / table.cols) + 1}, column ${(bad % table.cols) + 1} holds ${table.values[bad]}, expected a finite number`);
  }
  return { values: table.values, rows: table.rows, dim: table.cols };
}
