import type { Model } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';

/**
 * The `[h, w, c]` of a model whose samples can be drawn as a picture (`--grid`): its file records
 * an `eventShape` of three positive integers with c = 1 (grey) or 3 (RGB). Anything else is an
 * error naming the model file and what it samples.
 */
export function checkGridModel(model: Model, modelPath: string): [number, number, number] {
  const shape = model.eventShape;
  if (shape === undefined) {
    throw new CliError(
      `--grid needs a model of images, but ${modelPath} has no eventShape: it samples vectors of dim ${model.dim} ` +
        '(train on images — an .npy of shape (n, h, w, c), a folder of PNGs or mnist — to get one)',
    );
  }
  if (shape.length !== 3 || (shape[2] !== 1 && shape[2] !== 3)) {
    throw new CliError(`--grid needs images of shape [h, w, c] with c = 1 (grey) or 3 (RGB), but ${modelPath} samples shape [${shape.join(', ')}]`);
  }
  return [shape[0]!, shape[1]!, shape[2]!];
}
