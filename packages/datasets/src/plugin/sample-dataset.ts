// One call from a data set id to a plain table of points: what `pfm data` writes to a file.
import { createRegistry, createRng, type Registry } from '@pfm/core';
import { datasetsPlugin } from './datasets-plugin.js';

/** `rows` points of dimension `cols`, row-major: point i is `values[i·cols … (i+1)·cols)`. */
export interface SampledTable {
  rows: number;
  cols: number;
  values: Float32Array;
}

let registry: Registry | undefined;

/**
 * Draws `n` points of the registered data set `id` with `createRng(seed)`, options validated by
 * its schema; returns `{ rows: n, cols: dim, values }` (`[n, dim]` row-major). An unknown id throws
 * an error listing the known ids; a bad option throws one naming the field. Same seed, same values.
 */
export function sampleDataset(id: string, n: number, seed: number, options?: unknown): SampledTable {
  registry ??= createRegistry({ plugins: [datasetsPlugin] });
  const measure = registry.create('dataset', { id, options });
  const rng = createRng(seed);
  const points = measure.sample(n, rng);
  try {
    return { rows: n, cols: measure.dim, values: Float32Array.from(points.dataSync()) };
  } finally {
    points.dispose();
  }
}
