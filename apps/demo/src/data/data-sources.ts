// Where the training points come from: a registered 2-D data set, points drawn with the mouse,
// or an uploaded file. Data sets are sampled on the page's own cpu backend (a few thousand
// points, instantly); training happens in the worker.
import { createRegistry, createRng, decodeDataFile, type ConditionalSource, type Registry } from '@pfm/core';
import { datasetsPlugin, sampleDataset } from '@pfm/datasets';
import type { PointTable } from '../protocol.js';

export const DATASET_POINTS = 2000;
export const REFERENCE_POINTS = 1000;

/** The ids of the registry's data sets that are 2-D (the page plots the plane). */
export function planeDatasets(registry: Registry): string[] {
  return registry.ids('dataset').filter((id) => sampleDataset(id, 1, 0).cols === 2);
}

let datasets: Registry | undefined;

/**
 * `n` points of data set `id` drawn with seed `seed` (the points of `sampleDataset(id, n, seed)`),
 * with their labels when the data set has them (`sampleWithCondition`: the mode of 8gaussians,
 * the moon of moons, the cell of checkerboard).
 */
function labelledPoints(id: string, n: number, seed: number): PointTable {
  datasets ??= createRegistry({ plugins: [datasetsPlugin] });
  const measure = datasets.create('dataset', { id }) as Partial<ConditionalSource>;
  if (typeof measure.sampleWithCondition !== 'function' || measure.condition?.kind !== 'class') return sampleDataset(id, n, seed);
  const { x, condition } = measure.sampleWithCondition(n, createRng(seed));
  try {
    const labels = { values: Int32Array.from(condition.dataSync()), classes: measure.condition.classes };
    return { rows: n, cols: x.shape[1], values: Float32Array.from(x.dataSync()), labels };
  } finally {
    x.dispose();
    condition.dispose();
  }
}

/** `DATASET_POINTS` training points of data set `id`, and `REFERENCE_POINTS` held-out ones, labelled when the data set is. */
export function datasetPoints(id: string): { data: PointTable; reference: PointTable } {
  const data = labelledPoints(id, DATASET_POINTS, 0);
  const reference = labelledPoints(id, REFERENCE_POINTS, 1);
  return { data, reference };
}

/**
 * Reads an uploaded data file: 2 columns (points of the plane), or images — an `.npy` of shape
 * (n, h, w, c) or (n, h, w), with 1 (grey) or 3 (RGB) channels, values in [0, 1].
 */
export function decodeUpload(bytes: Uint8Array, fileName: string): PointTable {
  const table = decodeDataFile(bytes, { source: fileName });
  if (table.rows < 2) throw new Error(`${fileName}: needs at least 2 rows, got ${table.rows}`);
  if (table.shape !== undefined) {
    const channels = table.shape[2];
    if (channels !== 1 && channels !== 3) {
      throw new Error(`${fileName}: images of shape [${table.shape.join(', ')}] have ${channels} channels; the demo draws 1 (grey) or 3 (RGB)`);
    }
    return { rows: table.rows, cols: table.cols, values: table.values, shape: [...table.shape] };
  }
  if (table.cols !== 2) {
    throw new Error(`${fileName}: the demo plots 2-D data, so it needs 2 columns (or an .npy of images, shape (n, h, w, c)); the file has ${table.cols}`);
  }
  return { rows: table.rows, cols: 2, values: table.values };
}

/** Points drawn with the mouse: a growing [n, 2] table. */
export class DrawnPoints {
  private values: number[] = [];
  static readonly MAX = 5000;

  /** Adds `count` points around (x, y) with Gaussian jitter of standard deviation `spread`. */
  add(x: number, y: number, spread: number, count = 4): void {
    for (let i = 0; i < count && this.values.length / 2 < DrawnPoints.MAX; i++) {
      // Box–Muller: two independent N(0, 1) from two uniforms.
      const r = Math.sqrt(-2 * Math.log(1 - Math.random()));
      const a = 2 * Math.PI * Math.random();
      this.values.push(x + spread * r * Math.cos(a), y + spread * r * Math.sin(a));
    }
  }

  clear(): void {
    this.values = [];
  }

  table(): PointTable {
    return { rows: this.values.length / 2, cols: 2, values: Float32Array.from(this.values) };
  }
}
