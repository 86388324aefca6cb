// Image samples are written in the data range of images, [0, 1] (PNG pixels, MNIST, the sigmoid
// output of the image generators): an ODE sample of a flow overshoots it slightly at the ink's edges.

/** The range every image sample is clipped to. */
export const IMAGE_VALUE_RANGE = [0, 1] as const;

/**
 * Clips `values` to [0, 1] in place (NaN stays NaN, so a broken model is still seen) and returns
 * how many values were outside. A generator with a sigmoid output is left unchanged.
 */
export function clipImageValues(values: Float32Array): number {
  const [low, high] = IMAGE_VALUE_RANGE;
  let clipped = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < low) {
      values[i] = low;
      clipped++;
    } else if (v > high) {
      values[i] = high;
      clipped++;
    }
  }
  return clipped;
}
