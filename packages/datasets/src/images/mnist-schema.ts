// The options of the `mnist` data set and the fixed split every part of pfm uses.
import { z } from 'zod';

/** Which images of the 10,000: the training split (9,000), the test split (1,000) or all. */
export const MNIST_SPLITS = ['train', 'test', 'all'] as const;

/** One of {@link MNIST_SPLITS}. */
export type MnistSplit = (typeof MNIST_SPLITS)[number];

/** Options of `mnist`: the split, `train` by default. */
export const mnistSchema = z.strictObject({
  split: z
    .enum(MNIST_SPLITS)
    .default('train')
    .describe('train: the 9,000 images whose index i has i mod 10 ≠ 9; test: the 1,000 with i mod 10 = 9; all: the 10,000'),
});

/** Options accepted by `mnist` (every field optional). */
export type MnistOptions = z.input<typeof mnistSchema>;

/** The shape of one MNIST image: 28 × 28 pixels, one grey channel. */
export const MNIST_EVENT_SHAPE: readonly number[] = Object.freeze([28, 28, 1]);

/**
 * Whether image number `index` (0-based, in the data set's order: digit 0's images in file order,
 * then digit 1's, …) belongs to `split`: test when `index % 10 === 9`, train otherwise.
 */
export function inMnistSplit(index: number, split: MnistSplit): boolean {
  if (split === 'all') return true;
  return (index % 10 === 9) === (split === 'test');
}
