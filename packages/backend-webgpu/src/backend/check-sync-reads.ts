import * as tf from '@tensorflow/tfjs-core';

/** The values the probe writes and computes: x² of these, all distinct and non-zero. */
const PROBE = [1.5, -2, 3.25, 4];

/**
 * Whether `dataSync()` works on the active webgpu backend: computes x² of four values on the
 * GPU and reads it back synchronously. tfjs-backend-webgpu 4.22 reads synchronously through a
 * WebGPU canvas drawn onto a 2-D canvas; where the browser cannot share a WebGPU texture with
 * its 2-D canvas (headless Chromium on SwiftShader without `--enable-features=Vulkan`), that
 * read returns zeros without an error and the GPU device is lost afterwards. Returns undefined
 * when the read is right, or what it returned.
 */
export function checkSyncReads(): string | undefined {
  const squared = tf.tidy(() => tf.square(tf.tensor1d(PROBE)));
  let values: number[];
  try {
    values = Array.from(squared.dataSync());
  } catch (error) {
    return `dataSync() threw: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    squared.dispose();
  }
  const expected = PROBE.map((v) => v * v);
  return values.every((v, i) => v === expected[i]) ? undefined : `dataSync() of [${expected.join(', ')}] returned [${values.join(', ')}]`;
}
