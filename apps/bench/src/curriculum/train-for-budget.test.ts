// The CPU-time budget's bad cases on a tiny generator (the stop after the step that spends the time
// is checked by the suite's own test, run-curriculum.test.ts, through --budget both).
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { benchRegistry } from '../registry/bench-registry.js';
import { objectiveRecipe } from './curriculum-recipes.js';
import { trainForBudget } from './train-for-budget.js';

const registry = benchRegistry();

describe('trainForBudget', () => {
  it('a CPU-time budget that the step cap cannot spend is an error naming both, and frees the model', async () => {
    const data = tf.randomNormal([64, 2], 0, 1, 'float32', 2) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    await expect(trainForBudget({ ...objectiveRecipe('energy', false, 8, 16), seed: 1 }, data, registry, { kind: 'time', cpuSeconds: 1000 })).rejects.toThrow(
      /the step cap 8 was reached before 1000\.0 CPU seconds were spent/,
    );
    await expect(trainForBudget({ ...objectiveRecipe('energy', false, 8, 16), seed: 1 }, data, registry, { kind: 'time', cpuSeconds: -1 })).rejects.toThrow(
      /budget\.cpuSeconds must be a positive number of seconds, got -1/,
    );
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });
});
