// A data file as a measure: the empirical law (1/N) Σ_i δ_{x_i} of its rows. Node only.
import { empirical, type Empirical } from '@pfm/core';
import { readDataFile } from '@pfm/core/node';

/** Options of `loadDataset`: those of `readDataFile` (format, CSV header, size limit). */
export type LoadDatasetOptions = NonNullable<Parameters<typeof readDataFile>[1]>;

/**
 * Reads a `.csv`, `.json` or `.npy` file of N points in R^d (one row per point) and returns its
 * empirical measure: `sample(n, rng)` draws rows with replacement, `[n, d]`; `data` is `[N, d]`.
 * The measure owns a tensor copy of the data: call `dispose()` when done. Errors name the file.
 */
export async function loadDataset(path: string, options: LoadDatasetOptions = {}): Promise<Empirical> {
  const table = await readDataFile(path, options);
  if (table.rows === 0) throw new RangeError(`${path}: the data file has no rows`);
  return empirical({ rows: table.rows, cols: table.cols, values: table.values });
}
