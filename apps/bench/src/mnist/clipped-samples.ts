import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Model, type SampleOptions } from '@pfm/core';

/** Samples drawn per call of `model.sample`. */
const SAMPLE_CHUNK = 100;

/**
 * `n` model samples clipped to [0, 1], drawn by batches of {@link SAMPLE_CHUNK} (a U-Net's
 * activations for 1,000 images at once overflow the wasm heap), and the milliseconds it took.
 * A `condition` given per sample (an Int32Array of n labels) is split with the batches.
 */
export function clippedSamples(model: Model, n: number, seed: number, options?: SampleOptions): { x: tf.Tensor2D; ms: number } {
  const started = performance.now();
  const rng = createRng(seed).fold(103);
  const chunks: tf.Tensor2D[] = [];
  try {
    for (let start = 0, k = 0; start < n; start += SAMPLE_CHUNK, k++) {
      const size = Math.min(SAMPLE_CHUNK, n - start);
      const condition = options?.condition;
      const rows = condition instanceof Int32Array ? { ...options, condition: condition.subarray(start, start + size) } : options;
      const chunk = tf.tidy(() => tf.clipByValue(model.sample(size, rng.fold(k), rows), 0, 1) as tf.Tensor2D);
      chunk.dataSync();
      chunks.push(chunk);
    }
    const x = chunks.length === 1 ? chunks.pop()! : (tf.concat(chunks, 0) as tf.Tensor2D);
    return { x, ms: performance.now() - started };
  } finally {
    tf.dispose(chunks);
  }
}
