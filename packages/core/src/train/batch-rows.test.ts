import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Model } from '../contracts/model.js';
import type { TrainingRun } from '../contracts/objective.js';
import { createRng } from '../rng/rng.js';
import { batchRows, reusableBatchArray } from './batch-rows.js';
import { train } from './trainer.js';

/** min_{A, b} E‖x − (x A + b)‖² through a rank-`width` bottleneck: a d → width → d linear auto-encoder. */
function bottleneckRun(dim: number, width: number): TrainingRun {
  const rng = createRng(3);
  const down = tf.tidy(() => tf.variable(rng.normal([dim, width]).mul(1 / Math.sqrt(dim)), true));
  const up = tf.tidy(() => tf.variable(rng.normal([width, dim]).mul(1 / Math.sqrt(width)), true));
  return {
    players: [{ name: 'ae', variables: [down, up], loss: ({ batch }) => tf.mean(tf.square(tf.sub(tf.matMul(tf.matMul(batch, down), up), batch))) as tf.Scalar }],
    model: { dim } as unknown as Model,
    dispose: () => tf.dispose([down, up]),
  };
}

async function kernelsOfOneStep(dim: number): Promise<string[]> {
  const data = tf.tidy(() => createRng(1).normal([1, dim]) as tf.Tensor2D);
  const run = bottleneckRun(dim, 4);
  const before = tf.memory().numTensors;
  const profile = await tf.profile(async () => {
    await train(run, data, { steps: 1, batchSize: 16, seed: 0, optimizer: { name: 'sgd', lr: 0.01 } });
  });
  expect(tf.memory().numTensors).toBe(before);
  run.dispose!();
  data.dispose();
  return profile.kernels.map((k) => k.name);
}

describe('batchRows', () => {
  it('copies the same rows as tf.gather, repeated rows included', () => {
    const before = tf.memory().numTensors;
    const values = createRng(2).normalArray(5 * 3);
    const idx = Int32Array.from([4, 0, 0, 2, 4, 1]);
    const expected = tf.tidy(() => tf.gather(tf.tensor2d(values, [5, 3]), tf.tensor1d(idx, 'int32')).dataSync());
    expect(Array.from(batchRows(values, 3, idx))).toEqual(Array.from(expected));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a row index outside the data, naming it', () => {
    expect(() => batchRows(new Float32Array(6), 3, Int32Array.from([0, 2]))).toThrow(/row index 2 at position 1 is not in \[0, 2\)/);
  });
});

describe('a training step on wide data', () => {
  // A 1 × 10⁵ data set used to spend seconds per step in tf.gather, which both backends run one
  // element at a time; the step must run the same kernels whatever the width, and no gather.
  it('runs a bounded number of kernels, the same at d = 4 and d = 10⁵, without a per-element gather', async () => {
    const narrow = await kernelsOfOneStep(4);
    const wide = await kernelsOfOneStep(100_000);
    // Large variables take device paths where small ones are handled on the host, a fixed number
    // of kernels whatever the width: the optimizer's update (at most 2 per variable) and the
    // finiteness check of the gradients (a square and a sum per variable, then an addN and a stack).
    expect(wide.length).toBeGreaterThanOrEqual(narrow.length);
    expect(wide.length).toBeLessThanOrEqual(narrow.length + 2 * 2 + (2 * 2 + 2));
    expect(wide.length).toBeLessThan(60);
    expect(wide).not.toContain('GatherV2');
  }, 60_000);
});

describe('batchRows into a reused array', () => {
  it('refills the given array with the same rows as a new one, and refuses one of the wrong size', () => {
    const values = Float32Array.from({ length: 12 }, (_, i) => i);
    const into = new Float32Array(2 * 3);
    expect(batchRows(values, 3, Int32Array.from([3, 1]), into)).toBe(into);
    expect(Array.from(into)).toEqual(Array.from(batchRows(values, 3, Int32Array.from([3, 1]))));
    batchRows(values, 3, Int32Array.from([0, 0]), into);
    expect(Array.from(into)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(() => batchRows(values, 3, Int32Array.from([0]), into)).toThrow('batchRows: "into" holds 6 floats, expected idx.length · cols = 1 · 3 = 3');
    // Only a backend that copies the values into its tensor at once may share one array between batches.
    expect(reusableBatchArray('wasm', 6)).toHaveLength(6);
    expect(reusableBatchArray('cpu', 6)).toBeUndefined();
    expect(reusableBatchArray('webgpu', 6)).toBeUndefined();
  });
});
