import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` and throws if it left more tensors alive than it found (tf.memory().numTensors).
 * Tensors in the value `fn` returns are allowed and counted out: `keep` says how many.
 */
export async function expectNoTensorLeak<T>(fn: () => T | Promise<T>, options: { label?: string; keep?: number } = {}): Promise<T> {
  const before = tf.memory().numTensors;
  const value = await fn();
  const grown = tf.memory().numTensors - before - (options.keep ?? 0);
  if (grown > 0) {
    throw new Error(`${options.label ?? 'function'} leaked ${grown} tensor(s)`);
  }
  return value;
}
