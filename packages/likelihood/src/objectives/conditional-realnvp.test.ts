import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng, createTrainingRun, modelFromContent, modelToContent, parseRecipe, trainRecipe } from '@pfm/core';
import { likelihoodPlugin } from '../plugin/likelihood-plugin.js';
import type { FlowModel } from '../flow/flow-model.js';
import { onOneBackend, EIGHT_GAUSSIANS_CENTRES, labelledEightGaussians, ownModeFraction } from '@pfm/core/testing';

// A whole training run checked by a law on its samples: one backend (see onOneBackend).
const trainingRun = it.runIf(onOneBackend('wasm'));

const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });

describe('conditional RealNVP (the label into every coupling conditioner)', () => {
  trainingRun('on 8gaussians with mode labels, ≥ 98% of samples of class c land nearest centre c; log p(x | c) prefers the right class; the file keeps the condition', async () => {
    const before = tf.memory().numTensors;
    const { x, labels } = labelledEightGaussians(4096, 1);
    const spec = { kind: 'class', classes: 8 } as const;
    const trained = await trainRecipe(
      { method: 'realnvp', options: { blocks: 4 }, model: { hidden: [32, 32] }, steps: 300, batchSize: 256, seed: 0, optimizer: { lr: 3e-3 } },
      x,
      { registry, condition: { spec, rows: labels } },
    );
    const model = trained.model as FlowModel;
    expect(model.condition).toEqual(spec);
    const wanted = Int32Array.from({ length: 800 }, (_, i) => i % 8);
    const samples = model.sample(800, createRng(9), { condition: wanted });
    // Seeds fixed; neighbouring centres are 6 std apart, so a flow that uses its label puts almost nothing in
    // a neighbour's cell (one that ignores it would score about 1/8).
    expect(ownModeFraction(samples, wanted)).toBeGreaterThanOrEqual(0.98);
    // The centre of mode 2 is far more likely under class 2 than under class 6 (the opposite mode).
    const centre = tf.tensor2d([EIGHT_GAUSSIANS_CENTRES[2]![0], EIGHT_GAUSSIANS_CENTRES[2]![1]], [1, 2]);
    const own = model.logProb(centre, 2);
    const other = model.logProb(centre, 6);
    expect(own.dataSync()[0]! - other.dataSync()[0]!).toBeGreaterThan(10);
    expect(() => model.logProb(centre)).toThrow(/this model is conditional; give "condition"/);
    expect(() => model.sample(3, createRng(0), { condition: 8 })).toThrow('realnvp.sample: condition: label 8 is not a class of this model; expected an integer in 0…7');
    expect(() => model.sample(3, createRng(0), { condition: 1, guidance: 2 })).toThrow(/"guidance" applies to flows trained with condition dropout/);
    const loaded = modelFromContent(modelToContent(model, registry), registry, 'm.json');
    expect(loaded.condition).toEqual(spec);
    const again = loaded.sample(800, createRng(9), { condition: wanted });
    expect(Array.from(again.dataSync())).toEqual(Array.from(samples.dataSync()));
    tf.dispose([x, labels, samples, centre, own, other, again]);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 600_000);

  it('on pixels (preprocess): bits per dimension of p(x | c), (−log p(x̃ | c) + d log K)/(d log 2) with the same noise', () => {
    const before = tf.memory().numTensors;
    const x = tf.tidy(() => tf.div(tf.floor(tf.mul(createRng(1).uniform([12, 4]), 255)), 255)) as tf.Tensor2D;
    const labels = tf.tensor1d(Array.from({ length: 12 }, (_, i) => i % 3), 'int32');
    const recipe = parseRecipe({ method: 'realnvp', options: { blocks: 2, noise: 'none', preprocess: {} }, model: { hidden: [8] } }, registry);
    const run = createTrainingRun(recipe, x, registry, { condition: { spec: { kind: 'class', classes: 3 }, rows: labels } });
    const model = run.model as FlowModel;
    const wanted = Array.from(labels.dataSync());
    const bits = model.bitsPerDim!(x, createRng(5), wanted);
    // The same dequantisation noise u from createRng(5), then the model's own log p(x̃ | c) (the
    // flow measure's, before the samples' clipping to pixels).
    const expected = tf.tidy(() => {
      const noisy = tf.div(tf.add(tf.mul(x, 255), createRng(5).uniform([12, 4])), 256) as tf.Tensor2D;
      const logp = model.flow.logProb(noisy, { values: labels });
      return tf.div(tf.sub(4 * Math.log(256), logp), 4 * Math.LN2);
    });
    Array.from(bits.dataSync()).forEach((b, i) => expect(b).toBeCloseTo(expected.dataSync()[i]!, 4));
    expect(() => model.bitsPerDim!(x, createRng(5))).toThrow(/realnvp\.bitsPerDim: this model is conditional; give "condition"/);
    tf.dispose([x, labels, bits, expected]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
