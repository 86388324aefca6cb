// The soak's data: MNIST training digits made small. The centre 24×24 of each 28×28 digit (the
// strokes; the border is blank) is averaged over (24/side)×(24/side) blocks, so every digit stays
// whole at side × side. Pixel values stay in [0, 1].
import { readMnist } from '@pfm/datasets/node';

/** The MNIST side kept by the crop (the 2-pixel blank border is dropped). */
export const SOAK_CROP = 24;

/** Image sides the crop divides into whole blocks. */
export const SOAK_SIDES = [4, 6, 8, 12, 24] as const;

/** Flat rows `[rows, side·side]` of small grey digits, with their labels. */
export interface SoakImages {
  rows: number;
  side: number;
  values: Float32Array;
  labels: Int32Array;
}

/** The 9,000 MNIST training digits as side × side images (side one of {@link SOAK_SIDES}). */
export function soakImages(side: number): SoakImages {
  if (!(SOAK_SIDES as readonly number[]).includes(side)) throw new RangeError(`soak: side must be one of ${SOAK_SIDES.join(', ')} (it divides the 24×24 crop), got ${side}`);
  const mnist = readMnist({ split: 'train' });
  const block = SOAK_CROP / side;
  const border = (28 - SOAK_CROP) / 2;
  const values = new Float32Array(mnist.rows * side * side);
  for (let r = 0; r < mnist.rows; r++) {
    const digit = mnist.values.subarray(r * 784, (r + 1) * 784);
    for (let i = 0; i < side; i++) {
      for (let j = 0; j < side; j++) {
        let sum = 0;
        for (let a = 0; a < block; a++) for (let b = 0; b < block; b++) sum += digit[(border + i * block + a) * 28 + border + j * block + b]!;
        values[r * side * side + i * side + j] = sum / (block * block);
      }
    }
  }
  return { rows: mnist.rows, side, values, labels: mnist.labels };
}
