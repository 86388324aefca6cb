// Runs before every test file: selects the backend of this vitest project and checks,
// around every test, that tf.memory().numTensors did not grow.
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { cpu } from '@pfm/backend-cpu';
import { wasm } from '@pfm/backend-wasm';

const backend = process.env.PFM_BACKEND ?? 'cpu';
let before = 0;

beforeAll(async () => {
  const provider = backend === 'wasm' ? wasm() : cpu();
  await provider.init();
  expect(tf.getBackend()).toBe(backend);
});

beforeEach(() => {
  before = tf.memory().numTensors;
});

afterEach((context) => {
  const leaked = tf.memory().numTensors - before;
  if (leaked > 0 && context.task.result?.state !== 'fail') {
    throw new Error(`tensor leak: ${leaked} tensor(s) more after "${context.task.name}" than before`);
  }
});
