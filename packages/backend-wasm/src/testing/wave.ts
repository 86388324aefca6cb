import * as tf from '@tensorflow/tfjs-core';

/**
 * A deterministic float32 tensor of `shape` with values sin(0.731·i + phase) in [-1, 1]
 * (no two neighbours alike, so misplaced reads show), made on the active backend.
 */
export function wave(shape: number[], phase = 0): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => Math.sin(0.731 * i + phase)), shape, 'float32');
}
