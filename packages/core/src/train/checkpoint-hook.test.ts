import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from './checkpoint.js';
import { checkpointHook } from './checkpoint-hook.js';

/** A checkpoint holding one tensor, so that disposing it is visible in tf.memory(). */
function fakeCheckpoint(step: number): Checkpoint {
  return { step, seed: 0, steps: 10, batchSize: 1, variables: { p: [tf.scalar(step)] }, optimizers: {}, lossHistory: [] };
}

async function stepsEmitted(checkpointEvery: number | ((done: number) => boolean) | undefined, steps = 10): Promise<number[]> {
  const seen: number[] = [];
  const hook = checkpointHook({ checkpointEvery, steps, make: fakeCheckpoint, onCheckpoint: (c) => void seen.push(c.step) });
  for (let done = 1; done <= steps; done++) await hook.afterStep(done);
  return seen;
}

describe('checkpointHook', () => {
  it('emits every checkpointEvery steps, never after the last, and disposes what it made', async () => {
    const before = tf.memory().numTensors;
    expect(await stepsEmitted(3)).toEqual([3, 6, 9]);
    expect(await stepsEmitted(5)).toEqual([5]);
    expect(await stepsEmitted(0)).toEqual([]);
    expect(await stepsEmitted(undefined)).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with a predicate, emits after exactly the steps it picks (not after the last)', async () => {
    const before = tf.memory().numTensors;
    const asked: number[] = [];
    const picked = await stepsEmitted((done) => (asked.push(done), done === 2 || done >= 7));
    expect(picked).toEqual([2, 7, 8, 9]);
    expect(asked).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
