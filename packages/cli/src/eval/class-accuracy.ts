// `pfm eval --metric class-accuracy`: the share of images that pfm's LeNet MNIST classifier assigns
// to the digit they were requested as (`lenetClassAccuracy` of @pfm/datasets), overall and per digit,
// the measure of issue 15 for class-conditional samplers of MNIST.
import * as tf from '@tensorflow/tfjs-core';
import type { DataTable } from '@pfm/core';
import { lenetClassAccuracy } from '@pfm/datasets';
import { CliError } from '../cli/cli-error.js';

/** The metric id `pfm eval` reads as the LeNet class accuracy rather than a discrepancy. */
export const CLASS_ACCURACY_METRIC = 'class-accuracy';

/** Overall accuracy and, per digit with images, its accuracy and count. */
export interface ClassAccuracyResult {
  value: number;
  perClass: { label: number; value: number; n: number }[];
}

/**
 * The LeNet class accuracy of the images of `table` (read from `path`: rows of 28×28 grey values
 * in [0, 1]) against `labels` (the digit each was requested as). CliError (exit 2, one line) when
 * the rows are not 28×28×1 images or a label is not a digit.
 */
export function classAccuracy(table: DataTable, path: string, labels: Int32Array, labelsPath: string): ClassAccuracyResult {
  const shape = table.shape;
  if (table.cols !== 784 || (shape !== undefined && !(shape[0] === 28 && shape[1] === 28 && shape[2] === 1))) {
    const what = shape !== undefined ? `images of shape [${shape.join(', ')}]` : `rows of ${table.cols} values`;
    throw new CliError(`--metric class-accuracy: ${path} holds ${what}, expected MNIST images (28×28×1, 784 values a row): the classifier is pfm's LeNet of MNIST digits`);
  }
  const bad = labels.findIndex((c) => c > 9);
  if (bad >= 0) throw new CliError(`--labels ${labelsPath}: row ${bad + 1} holds ${labels[bad]}, expected a digit 0…9`);
  const images = tf.tensor2d(table.values, [table.rows, 784]);
  try {
    const result = lenetClassAccuracy(images, labels, { name: path });
    const perClass = result.counts.flatMap((n, label) => (n > 0 ? [{ label, value: result.perClass[label]!, n }] : []));
    return { value: result.accuracy, perClass };
  } finally {
    images.dispose();
  }
}
