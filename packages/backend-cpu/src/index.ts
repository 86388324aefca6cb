import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export function cpu() {
  return { name: 'cpu', async init() { await tf.setBackend('cpu'); await tf.ready(); } };
}
