import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, trainRecipe } from '@pfm/core';
import { onOneBackend, EIGHT_GAUSSIANS_CLASSES, trainOnLabelledEightGaussians } from '@pfm/core/testing';
import { curriculumRecipe } from '../test-support/curriculum-recipe.js';
import { testRegistry } from '../test-support/registry.js';

// A whole training run checked by a law on its samples: one backend (see onOneBackend).
const trainingRun = it.runIf(onOneBackend('wasm'));

describe('conditional curriculum (per-class discrepancies along the diffusion path)', () => {
  trainingRun('on 8gaussians with mode labels, ≥ 98% of the samples of class c land nearest centre c; the file keeps the condition', async () => {
    const registry = testRegistry();
    const before = tf.memory().numTensors;
    const { model, result, fraction, reloaded, samples } = await trainOnLabelledEightGaussians(
      curriculumRecipe({ lr: 3e-3, batchSize: 256, seed: 0 }),
      registry,
    );
    expect(result.status).toBe('completed');
    expect(model.condition).toEqual(EIGHT_GAUSSIANS_CLASSES);
    // Seeds fixed; a generator that ignored its label would score about 1/8.
    expect(fraction).toBeGreaterThanOrEqual(0.98);
    expect(() => model.sample(3, createRng(0))).toThrow('curriculum.sample: this model is conditional; give "condition"');
    expect(() => model.sample(3, createRng(0), { condition: 1, guidance: 2 })).toThrow('curriculum.sample: "guidance" 2 does not apply to a one-step map');
    expect(reloaded.samples).toEqual(samples);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 600_000);

  it('refuses a context condition, naming the method', async () => {
    const registry = testRegistry();
    const before = tf.memory().numTensors;
    const x = createRng(0).normal([64, 2]) as tf.Tensor2D;
    const context = createRng(1).normal([64, 3]);
    await expect(
      trainRecipe({ method: 'curriculum', model: { hidden: [8] }, steps: 1, batchSize: 16 }, x, { registry, condition: { spec: { kind: 'context', dim: 3 }, rows: context } }),
    ).rejects.toThrow('curriculum: a context condition has no classes to match one by one');
    tf.dispose([x, context]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
