// A finite set of images as a measure: the empirical law (1/N) Σ_i δ_{x_i} of its flat rows,
// with the shape of one image and, when known, the label of each.
import { empirical, type Empirical } from '@pfm/core';

/** An empirical measure over N images, each a flat row of h·w·c values (row-major, channels last). */
export interface ImageDataset extends Empirical {
  /** `[h, w, c]`: height, width, channels (1 grey, 3 RGB); its product is `dim`. */
  readonly eventShape: readonly number[];
  /** The class of each image, in row order (`labels[i]` belongs to row i); absent when unknown. */
  readonly labels?: Int32Array;
}

/** The rows and what they are: the input of {@link imageDataset}. */
export interface ImageTable {
  rows: number;
  cols: number;
  /** `rows · cols` values, row-major. */
  values: Float32Array;
  /** `[h, w, c]`, product `cols`. */
  shape: readonly number[];
  /** One integer label per row. */
  labels?: Int32Array;
}

/**
 * The empirical measure of `table`'s rows as images of shape `table.shape`: `sample(n, rng)`
 * draws rows with replacement (`[n, h·w·c]`). Owns a tensor copy of the values: call `dispose()`.
 * Throws a RangeError naming `where` when the shape does not describe the rows or the labels are
 * not one integer per row.
 */
export function imageDataset(table: ImageTable, where = 'images'): ImageDataset {
  const { rows, cols, shape, labels } = table;
  const valid = Array.isArray(shape) && shape.length === 3 && shape.every((d) => Number.isSafeInteger(d) && d > 0);
  if (!valid || shape.reduce((a, b) => a * b, 1) !== cols) {
    throw new RangeError(`${where}: shape [${String(shape)}] does not describe rows of ${cols} values (expected [h, w, c] with h·w·c = ${cols})`);
  }
  if (labels !== undefined && (!(labels instanceof Int32Array) || labels.length !== rows)) {
    const count = labels instanceof Int32Array ? `${labels.length} labels` : 'labels that are not an Int32Array';
    throw new RangeError(`${where}: ${count} for ${rows} images (expected one Int32 label per image)`);
  }
  const measure = empirical({ rows, cols, values: table.values });
  return Object.assign(measure, {
    eventShape: Object.freeze([...shape]),
    ...(labels !== undefined ? { labels } : {}),
  });
}
