import * as tf from '@tensorflow/tfjs-core';
import { readDataFile } from '@pfm/core/node';

/** The points of a data file as a tensor `[rows, cols]` (the caller disposes it), and what they are. */
export interface TrainingData {
  data: tf.Tensor2D;
  rows: number;
  cols: number;
}

/** Reads --data (.csv, .json or .npy); errors name the file, the row and the column. */
export async function loadTrainingData(path: string): Promise<TrainingData> {
  const table = await readDataFile(path);
  return { data: tf.tensor2d(table.values, [table.rows, table.cols]), rows: table.rows, cols: table.cols };
}
