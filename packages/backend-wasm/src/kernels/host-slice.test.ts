import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import '../testing/register-gradients.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';

const CASES: Array<{ x: number[]; begin: number[]; size: number[] }> = [
  { x: [64, 784], begin: [0, 392], size: [-1, 392] }, // half the columns of an image batch
  { x: [5, 7], begin: [1, 2], size: [3, 4] },
  { x: [4, 3, 5], begin: [1, 0, 2], size: [2, -1, 2] },
  { x: [2, 3, 4, 5], begin: [1, 1, 0, 3], size: [1, 2, 4, 1] },
  { x: [9], begin: [4], size: [3] },
  { x: [3, 4], begin: [0, 4], size: [3, 0] }, // empty
];

describe('Slice on wasm (a host loop over the heap)', () => {
  it('matches cpu exactly on float32 and int32, empty included', async () => {
    const labels = CASES.flatMap((c) => [`x [${c.x}] begin [${c.begin}] size [${c.size}] float32`, `… int32`]);
    const results = await onCpuAndWasm(() =>
      CASES.flatMap((c) => {
        const x = wave(c.x, 0.3);
        return [tf.slice(x, c.begin, c.size), tf.slice(tf.cast(tf.round(tf.mul(x, 100)), 'int32'), c.begin, c.size)];
      }),
    );
    expectAgreement(results, labels, 0);
  });

  it('its gradient (a pad of dy) matches cpu', async () => {
    const results = await onCpuAndWasm(() =>
      CASES.slice(0, 4).map((c) => {
        const weights = wave(tf.slice(tf.zeros(c.x), c.begin, c.size).shape, 1.1);
        return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.slice(x, c.begin, c.size), weights)))(wave(c.x, 0.7));
      }),
    );
    expectAgreement(results, CASES.slice(0, 4).map((c) => `d/dx x [${c.x}]`), 0);
  });
});
