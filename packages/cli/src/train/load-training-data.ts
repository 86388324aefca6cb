import { stat } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import type { Measure, Registry } from '@pfm/core';
import { readDataFile } from '@pfm/core/node';
import { readPngFolder } from '@pfm/datasets/node';
import { CliError } from '../cli/cli-error.js';

/** The points of --data as a tensor `[rows, cols]` (the caller disposes it), and what they are. */
export interface TrainingData {
  data: tf.Tensor2D;
  rows: number;
  cols: number;
  /** The shape of one point when the data are images (`[h, w, c]`, product `cols`). */
  eventShape?: number[];
}

// A measure that holds a fixed set of points (an empirical measure such as mnist).
function finitePoints(measure: Measure): tf.Tensor2D | undefined {
  const data = (measure as { data?: unknown }).data;
  return data instanceof tf.Tensor && data.rank === 2 ? (data as tf.Tensor2D) : undefined;
}

// A registered data set with a fixed set of points, e.g. mnist (its default options: the training split).
function fromDataset(id: string, registry: Registry): TrainingData {
  const measure = registry.create('dataset', { id, options: {} }, undefined, { id: '--data' });
  try {
    const points = finitePoints(measure);
    if (points === undefined) {
      throw new CliError(`--data ${id}: the data set ${id} has no fixed set of points to train on; write some first (pfm data ${id} -n 10000 --out ${id}.csv) and pass the file`);
    }
    const shape = measure.eventShape;
    const [rows, cols] = points.shape;
    return { data: tf.clone(points), rows, cols, ...(shape !== undefined ? { eventShape: [...shape] } : {}) };
  } finally {
    (measure as { dispose?: () => void }).dispose?.();
  }
}

/**
 * Reads --data: a data file (.csv, .json or .npy; an .npy of shape (n, h, w, c) or (n, h, w) gives
 * images), a folder of PNG images (all of one size), or the id of a registered data set with a
 * fixed set of points (mnist: its training split). Errors name the file, the row and the column.
 */
export async function loadTrainingData(path: string, registry: Registry): Promise<TrainingData> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    const table = await readPngFolder(path);
    return { data: tf.tensor2d(table.values, [table.rows, table.cols]), rows: table.rows, cols: table.cols, eventShape: table.shape };
  }
  if (info === undefined && !/\.[^./\\]+$/.test(path)) {
    if (registry.has('dataset', path)) return fromDataset(path, registry);
    throw new CliError(`--data ${path}: no such file or folder, and no data set with this id (a data file .csv, .json or .npy, a folder of PNG images, or a data set with a fixed set of points such as mnist)`);
  }
  const table = await readDataFile(path);
  const data = tf.tensor2d(table.values, [table.rows, table.cols]);
  return { data, rows: table.rows, cols: table.cols, ...(table.shape !== undefined ? { eventShape: table.shape } : {}) };
}
