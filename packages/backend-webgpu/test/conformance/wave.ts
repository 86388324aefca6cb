import * as tf from '@tensorflow/tfjs-core';

/**
 * A deterministic float32 tensor of `shape` with values scale·sin(0.731·i + phase) (no two
 * neighbours alike, so a misplaced read shows), made on the active backend.
 */
export function wave(shape: number[], phase = 0, scale = 1): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => scale * Math.sin(0.731 * i + phase)), shape, 'float32');
}
