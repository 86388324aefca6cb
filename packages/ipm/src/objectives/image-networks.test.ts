import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  corePlugin,
  createRegistry,
  createRng,
  decodeModelFile,
  encodeModelFile,
  IMAGE_LATENT_DIM,
  modelFromContent,
  modelToContent,
  trainRecipe,
  type Model,
} from '@pfm/core';
import { ipmPlugin } from '../plugin/ipm-plugin.js';

const registry = createRegistry({ plugins: [corePlugin, ipmPlugin] });
const eventShape = [8, 8, 1];

function roundTrip(model: Model): Model {
  const { json } = encodeModelFile(modelToContent(model, registry), { weights: 'inline' });
  return modelFromContent(decodeModelFile(json, { source: 'model.json' }), registry, 'model.json');
}

describe('image data (eventShape [h, w, c]) pick convolutional networks', () => {
  it('energy: a conv-generator from a latent of IMAGE_LATENT_DIM, trained for two steps, saved and loaded', async () => {
    const before = tf.memory().numTensors;
    const data = tf.tidy(() => createRng(1).uniform([32, 64])) as tf.Tensor2D;
    const { model, result } = await trainRecipe(
      { method: 'energy', model: { channels: [8, 8, 8] }, optimizer: { lr: 1e-2 }, steps: 2, batchSize: 8, seed: 2 },
      data,
      { registry, eventShape },
    );
    expect(result.lossHistory).toHaveLength(2);
    expect(result.lossHistory.every(Number.isFinite)).toBe(true);
    expect(model.maps.generator!.toSpec()).toMatchObject({ type: 'conv-generator', options: { inputDim: IMAGE_LATENT_DIM, outputShape: [8, 8, 1], channels: [8, 8, 8] } });
    expect(model.options.latentDim).toBe(IMAGE_LATENT_DIM);
    const copy = roundTrip(model);
    const [a, b] = tf.tidy(() => [model.sample(4, createRng(3)), copy.sample(4, createRng(3))].map((s) => Array.from(s.dataSync())));
    expect(b).toEqual(a);
    expect(a!.every((v) => v > 0 && v < 1)).toBe(true);
    copy.dispose();
    model.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gan: a conv-generator and a conv-encoder critic whose dense head is criticHidden; model.type picks another map', async () => {
    const before = tf.memory().numTensors;
    const data = tf.tidy(() => createRng(4).uniform([32, 64])) as tf.Tensor2D;
    const { model, result } = await trainRecipe(
      { method: 'gan', options: { latentDim: 4, criticHidden: [8] }, model: { channels: [8, 8, 8], norm: 'none' }, steps: 2, batchSize: 8, seed: 5 },
      data,
      { registry, eventShape },
    );
    expect(result.lossHistory.every(Number.isFinite)).toBe(true);
    expect(model.maps.generator!.toSpec().type).toBe('conv-generator');
    expect(model.maps.critic!.toSpec()).toMatchObject({ type: 'conv-encoder', options: { inputShape: [8, 8, 1], outputDim: 1, hidden: [8], activation: 'silu' } });
    model.dispose();
    // An MLP on image data when the recipe says so.
    const flat = await trainRecipe(
      { method: 'gan', options: { latentDim: 4, criticHidden: [8] }, model: { type: 'mlp', hidden: [8] }, steps: 1, batchSize: 8, seed: 5 },
      data,
      { registry, eventShape },
    );
    expect(flat.model.maps.generator!.toSpec()).toMatchObject({ type: 'mlp', options: { inputDim: 4, outputDim: 64, hidden: [8] } });
    flat.model.dispose();
    await expect(
      trainRecipe({ method: 'energy', model: { channels: [8, 8, 8], upsample: 'bilinear' }, steps: 1, batchSize: 8 }, data, { registry, eventShape }),
    ).rejects.toThrow(/model\.upsample/);
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
