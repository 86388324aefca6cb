// The tour's image stop: one fast method trained on the MNIST digits for a short budget, its
// samples drawn as a PNG grid and scored by FLD, the Fréchet distance between the LeNet features
// of the samples and of the 1,000 test digits (Heusel et al. 2017, eq. 6, on pfm's own LeNet;
// lower is better), beside the same distance for as many training digits (the floor).
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { createRng, trainRecipe, type RecipeInput, type Registry } from '@pfm/core';
import { frechetLenetDistance } from '@pfm/datasets';
import { readMnist, writePngGrid } from '@pfm/datasets/node';

/** The file name of the grid of samples, in the tour's output folder. */
export const MNIST_GRID_FILE = 'mnist-samples.png';

/** How the stop is named in the report. */
export const MNIST_STOP_TITLE = 'energy-distance generator on MNIST (1 step)';

/** Images in the grid: 8 rows of 8. */
const GRID_IMAGES = 64;

export interface MnistStopOptions {
  /** Training steps (default 300). */
  steps?: number;
  /** Samples scored by FLD against as many test digits, at most 1,000 (default 1,000). */
  scoredImages?: number;
  onProgress?: (step: number, steps: number, loss: number, etaSeconds: number) => void;
}

export interface MnistStopResult {
  method: string;
  title: string;
  steps: number;
  trainSeconds: number;
  stepsPerSecond: number;
  finalLoss: number;
  nfe: number;
  /** Milliseconds to draw the 64 images of the grid. */
  gridMs: number;
  /** The grid's file name in the output folder (`mnist-samples.png`). */
  grid: string;
  /** FLD between `scoredImages` samples and as many test digits. */
  fld: number;
  /** FLD between as many training digits and the same test digits: what a perfect sampler scores. */
  fldFloor: number;
  scoredImages: number;
}

/**
 * The recipe of the stop: a one-step generator trained by the energy distance (no critic, no
 * integrator: the quickest image method per step), with the image networks picked by default
 * for `[28, 28, 1]` data (a conv-generator from a 64-d latent).
 */
export function mnistStopRecipe(steps: number): RecipeInput {
  return { method: 'energy', optimizer: { lr: 2e-3 }, steps, batchSize: 64, seed: 1 };
}

/**
 * Trains {@link mnistStopRecipe} on the 9,000 training digits, writes 64 samples as an 8 × 8 PNG
 * grid to `outDir/mnist-samples.png` and scores the samples by FLD against the test digits.
 * Undefined when the registry has no `energy` objective.
 */
export async function runMnistStop(registry: Registry, outDir: string, options: MnistStopOptions = {}): Promise<MnistStopResult | undefined> {
  const recipe = mnistStopRecipe(options.steps ?? 300);
  if (!registry.has('objective', recipe.method)) return undefined;
  const scored = options.scoredImages ?? 1000;
  if (!Number.isSafeInteger(scored) || scored < 2 || scored > 1000) {
    throw new RangeError(`mnist stop: scoredImages must be an integer from 2 to 1000 (the test digits), got ${scored}`);
  }
  const train = readMnist({ split: 'train' });
  const test = readMnist({ split: 'test' });
  const data = tf.tensor2d(train.values, [train.rows, train.cols]);
  try {
    const { model, result } = await trainRecipe(recipe, data, {
      registry,
      eventShape: train.shape,
      progressEvery: 5,
      ...(options.onProgress ? { onProgress: (p) => options.onProgress!(p.step, p.steps, p.loss, p.etaSeconds) } : {}),
    });
    try {
      const t0 = performance.now();
      const grid = model.sample(GRID_IMAGES, createRng(3));
      const values = (await grid.data()) as Float32Array;
      const gridMs = performance.now() - t0;
      grid.dispose();
      await writePngGrid(join(outDir, MNIST_GRID_FILE), { rows: GRID_IMAGES, cols: train.cols, values, shape: train.shape }, { columns: 8 });
      // Evenly spaced rows, so every digit is in (the splits go digit by digit).
      const spaced = (images: tf.Tensor2D, rows: number) => {
        const stride = Math.floor(rows / scored);
        return tf.gather(images, tf.range(0, scored * stride, stride, 'int32')) as tf.Tensor2D;
      };
      const { fld, fldFloor } = tf.tidy(() => {
        const samples = model.sample(scored, createRng(4));
        const testImages = spaced(tf.tensor2d(test.values, [test.rows, test.cols]), test.rows);
        return { fld: frechetLenetDistance(samples, testImages), fldFloor: frechetLenetDistance(spaced(data, train.rows), testImages) };
      });
      return {
        method: recipe.method,
        title: MNIST_STOP_TITLE,
        steps: result.steps,
        trainSeconds: result.seconds,
        stepsPerSecond: result.stepsPerSecond,
        finalLoss: result.finalLoss,
        nfe: model.nfe,
        gridMs,
        grid: MNIST_GRID_FILE,
        fld,
        fldFloor,
        scoredImages: scored,
      };
    } finally {
      model.dispose();
    }
  } finally {
    data.dispose();
  }
}
