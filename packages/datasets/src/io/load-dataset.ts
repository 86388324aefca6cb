// A data file or a folder of PNG images as a measure: the empirical law (1/N) Σ_i δ_{x_i} of its
// rows. Node only.
import { stat } from 'node:fs/promises';
import { empirical, type Empirical } from '@pfm/core';
import { readDataFile } from '@pfm/core/node';
import { imageDataset, type ImageDataset } from '../images/image-dataset.js';
import { readPngFolder } from '../images/read-png-folder.js';

/** Options of `loadDataset`: those of `readDataFile` (format, CSV header, size limit). */
export type LoadDatasetOptions = NonNullable<Parameters<typeof readDataFile>[1]>;

/**
 * Reads a `.csv`, `.json` or `.npy` file of N points in R^d (one row per point), or a folder of
 * PNG images (see readPngFolder), and returns its empirical measure: `sample(n, rng)` draws rows
 * with replacement, `[n, d]`; `data` is `[N, d]`. Images — a folder, or an `.npy` of shape
 * `(n, h, w, c)` or `(n, h, w)` — give an {@link ImageDataset} whose `eventShape` is `[h, w, c]`
 * and whose rows are the images flattened row-major. The measure owns a tensor copy of the
 * data: call `dispose()` when done. Errors name the file.
 */
export async function loadDataset(path: string, options: LoadDatasetOptions = {}): Promise<Empirical | ImageDataset> {
  const folder = await stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (folder) {
    const table = await readPngFolder(path, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
    return imageDataset(table, path);
  }
  const table = await readDataFile(path, options);
  if (table.rows === 0) throw new RangeError(`${path}: the data file has no rows`);
  if (table.shape !== undefined) return imageDataset({ rows: table.rows, cols: table.cols, values: table.values, shape: table.shape }, path);
  return empirical({ rows: table.rows, cols: table.cols, values: table.values });
}
