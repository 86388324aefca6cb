import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';

export function wasm() {
  return { name: 'wasm', async init() { await tf.setBackend('wasm'); await tf.ready(); } };
}
