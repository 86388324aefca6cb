// The class labels of `pfm train --labels`: a file with one label per data row, or the id of the
// data set given as --data (e.g. `--data mnist --labels mnist`), whose own labels (mnist's digits)
// then come with its points in the same order.
import { stat } from 'node:fs/promises';
import type { Registry } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';
import { readLabelsFile } from './read-labels-file.js';

/**
 * The `rows` labels named by `--labels labelsPath` for the training data `--data dataPath`. A path
 * that is no file, has no extension and is a registered data set's id means that data set's own
 * labels, which needs --data to be the same data set. Errors (CliError, exit 2) say what to give.
 */
export async function trainingLabels(labelsPath: string, dataPath: string, rows: number, registry: Registry): Promise<Int32Array> {
  const isFile = (await stat(labelsPath).catch(() => undefined)) !== undefined;
  if (isFile || /\.[^./\\]+$/.test(labelsPath) || !registry.has('dataset', labelsPath)) return readLabelsFile(labelsPath, '--labels', rows);
  if (labelsPath !== dataPath) {
    throw new CliError(`--labels ${labelsPath}: a data set's own labels go with its own points; use --data ${labelsPath} too, or give a file of labels for --data ${dataPath}`);
  }
  const measure = registry.create('dataset', { id: labelsPath, options: {} }, undefined, { id: '--labels' });
  try {
    const labels = (measure as { labels?: unknown }).labels;
    if (!(labels instanceof Int32Array)) {
      throw new CliError(`--labels ${labelsPath}: the data set ${labelsPath} has no labels of its own; write them with its points (pfm data ${labelsPath} --labels y.csv) and give that file`);
    }
    if (labels.length !== rows) throw new CliError(`--labels ${labelsPath}: the data set has ${labels.length} labels for ${rows} training rows`);
    return labels;
  } finally {
    (measure as { dispose?: () => void }).dispose?.();
  }
}
