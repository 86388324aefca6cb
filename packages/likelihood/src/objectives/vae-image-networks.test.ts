import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  corePlugin,
  createRegistry,
  createRng,
  createTrainingRun,
  decodeModelFile,
  encodeModelFile,
  modelFromContent,
  modelToContent,
  parseRecipe,
  trainRecipe,
} from '@pfm/core';
import { likelihoodPlugin } from '../plugin/likelihood-plugin.js';
import { gaussianEncoder } from '../vae/gaussian-encoder.js';

const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });
const eventShape = [8, 8, 1];

describe('VAE networks on image data (eventShape [h, w, c])', () => {
  it('vae: a conv-encoder q(z | x) and a conv-generator φ(z), trained for two steps, saved and loaded', async () => {
    const before = tf.memory().numTensors;
    const data = tf.tidy(() => createRng(1).uniform([16, 64])) as tf.Tensor2D;
    const { model, result } = await trainRecipe(
      { method: 'vae', options: { latentDim: 3, logProbSamples: 4 }, model: { activation: 'relu' }, steps: 2, batchSize: 4, seed: 2 },
      data,
      { registry, eventShape },
    );
    expect(result.lossHistory.every(Number.isFinite)).toBe(true);
    expect(model.maps.encoder!.toSpec().options.network).toEqual({
      type: 'conv-encoder',
      options: expect.objectContaining({ inputShape: [8, 8, 1], outputDim: 6, activation: 'relu' }),
    });
    expect(model.maps.decoder!.toSpec().options.network).toEqual({
      type: 'conv-generator',
      options: expect.objectContaining({ inputDim: 3, outputShape: [8, 8, 1], activation: 'relu' }),
    });
    const { json } = encodeModelFile(modelToContent(model, registry), { weights: 'inline' });
    const copy = modelFromContent(decodeModelFile(json, { source: 'vae.json' }), registry, 'vae.json');
    const [a, b] = tf.tidy(() => [model.logProb!(data), copy.logProb!(data)].map((l) => Array.from(l.dataSync())));
    expect(b).toEqual(a);
    copy.dispose();
    model.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps MLPs with model.type "mlp", refuses other types, and a network without a registry', () => {
    const before = tf.memory().numTensors;
    const data = tf.tidy(() => createRng(1).uniform([8, 64])) as tf.Tensor2D;
    const run = createTrainingRun(parseRecipe({ method: 'vae', model: { type: 'mlp', hidden: [4] } }, registry), data, registry, { eventShape });
    expect(run.model.maps.encoder!.toSpec().options).not.toHaveProperty('network');
    expect(run.model.maps.encoder!.toSpec().options).toMatchObject({ hidden: [4] });
    run.model.dispose();
    expect(() => createTrainingRun(parseRecipe({ method: 'iwae', model: { type: 'unet' } }, registry), data, registry, { eventShape })).toThrow(
      /iwae: model\.type "unet": a VAE builds two networks; model\.type may only be "mlp"/,
    );
    const network = { type: 'conv-encoder', options: { inputShape: [8, 8, 1], outputDim: 4 } };
    expect(() => gaussianEncoder({ inputDim: 64, latentDim: 2, network }, createRng(1))).toThrow(/gaussian-encoder: options\.network "conv-encoder" is built through a registry/);
    expect(() => gaussianEncoder({ inputDim: 64, latentDim: 3, network }, createRng(1), registry)).toThrow(
      /gaussian-encoder: options\.network "conv-encoder" must map R\^64 → R\^6, it maps R\^64 → R\^4/,
    );
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
