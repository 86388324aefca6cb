import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, trainRecipe, type VectorField } from '@pfm/core';
import { testRegistry } from '../test-support/registry.js';
import { buildGenerator } from './build-generator.js';
import { buildVelocityField } from './build-velocity-field.js';

const registry = testRegistry();
const unetOptions = { channels: 4, channelMult: [1, 2], groups: 2 };

describe('image data (eventShape [h, w, c]) pick convolutional networks', () => {
  it('buildVelocityField makes a unet and buildGenerator a conv-generator on images, the MLPs on vectors', () => {
    const before = tf.memory().numTensors;
    const field = buildVelocityField(registry, 64, unetOptions, createRng(1), [8, 8, 1]);
    expect(field.toSpec()).toMatchObject({ type: 'unet', options: { shape: [8, 8, 1], channels: 4 } });
    const generator = buildGenerator(registry, 64, { channels: [8, 8] }, createRng(2), [8, 8, 1]);
    expect(generator.toSpec()).toMatchObject({ type: 'conv-generator', options: { inputDim: 64, outputShape: [8, 8, 1] } });
    tf.tidy(() => {
      const z = createRng(3).normal([2, 64]) as tf.Tensor2D;
      expect(field.evaluate(0.5, generator.apply(z)).shape).toEqual([2, 64]);
    });
    field.dispose();
    generator.dispose();
    const vectorField = buildVelocityField(registry, 3, { hidden: [4] }, createRng(1), [3]);
    expect(vectorField.toSpec()).toEqual({ type: 'time-mlp', options: expect.objectContaining({ dim: 3, hidden: [4] }) });
    vectorField.dispose();
    expect(() => buildVelocityField(registry, 64, { type: 'conv-encoder' }, createRng(1), [8, 8, 1])).toThrow(/model\.type: "conv-encoder" does not build a vector field/);
    expect(() => buildGenerator(registry, 64, { type: 'unet' }, createRng(1), [8, 8, 1])).toThrow(/model\.type: "unet" does not build a map R\^64 → R\^64/);
    expect(() => buildVelocityField(registry, 64, { ...unetOptions, channels: 3 }, createRng(1), [8, 8, 1])).toThrow(/model\.groups: 2 groups do not divide 3 channels/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('flow matching on 8×8×1 images trains a unet for two steps', async () => {
    const before = tf.memory().numTensors;
    const data = tf.tidy(() => createRng(4).uniform([16, 64])) as tf.Tensor2D;
    const { model, result } = await trainRecipe(
      { method: 'flow-matching', model: unetOptions, options: { sampler: { integrator: 'euler', steps: 2 } }, steps: 2, batchSize: 4, seed: 1 },
      data,
      { registry, eventShape: [8, 8, 1] },
    );
    expect(result.lossHistory).toHaveLength(2);
    expect(result.lossHistory.every(Number.isFinite)).toBe(true);
    expect((model.maps.velocity as VectorField).toSpec().type).toBe('unet');
    tf.tidy(() => {
      expect(model.sample(2, createRng(5)).shape).toEqual([2, 64]);
    });
    model.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

