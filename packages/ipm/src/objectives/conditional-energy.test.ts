import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng, trainRecipe } from '@pfm/core';
import { ipmPlugin } from '../plugin/ipm-plugin.js';
import { onOneBackend, EIGHT_GAUSSIANS_CLASSES, labelledEightGaussians, trainOnLabelledEightGaussians } from '@pfm/core/testing';

// A whole training run checked by a law on its samples: one backend (see onOneBackend).
const trainingRun = it.runIf(onOneBackend('wasm'));

const registry = createRegistry({ plugins: [corePlugin, ipmPlugin] });

describe('conditional energy generator (per-class energy distances summed)', () => {
  trainingRun('on 8gaussians with mode labels, ≥ 98% of the samples of class c land nearest centre c; the file keeps the condition', async () => {
    const before = tf.memory().numTensors;
    const { model, fraction, reloaded, samples } = await trainOnLabelledEightGaussians(
      { method: 'energy', model: { hidden: [32, 32] }, steps: 300, batchSize: 256, seed: 0, optimizer: { lr: 3e-3 } },
      registry,
    );
    expect(model.condition).toEqual(EIGHT_GAUSSIANS_CLASSES);
    // Seeds fixed; a generator that ignored its label would score about 1/8.
    expect(fraction).toBeGreaterThanOrEqual(0.98);
    expect(() => model.sample(3, createRng(0))).toThrow(/energy\.sample: this model is conditional; give "condition"/);
    expect(() => model.sample(3, createRng(0), { condition: 9 })).toThrow('energy.sample: condition: label 9 is not a class of this model; expected an integer in 0…7');
    expect(reloaded.samples).toEqual(samples);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 600_000);

  it('mmd is the same per-class sum: a conditional generator on labels, refused on a context', async () => {
    const before = tf.memory().numTensors;
    const { x, labels } = labelledEightGaussians(64, 2);
    const spec = { kind: 'class', classes: 8 } as const;
    const { model } = await trainRecipe({ method: 'mmd', model: { hidden: [8] }, steps: 2, batchSize: 32, seed: 0 }, x, { registry, condition: { spec, rows: labels } });
    expect(model.condition).toEqual(spec);
    const y = model.sample(4, createRng(0), { condition: 5 });
    expect(y.shape).toEqual([4, 2]);
    const context = tf.tidy(() => tf.cast(tf.oneHot(labels, 8), 'float32')) as tf.Tensor2D;
    await expect(trainRecipe({ method: 'mmd', steps: 1, batchSize: 32 }, x, { registry, condition: { spec: { kind: 'context', dim: 8 }, rows: context } })).rejects.toThrow(
      'mmd: a context condition has no classes to match one by one; statistics matching takes class labels',
    );
    tf.dispose([x, labels, context, y]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
