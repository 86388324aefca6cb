import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { PushforwardMap } from '../contracts/map.js';
import { createRegistry } from '../registry/registry.js';
import { corePlugin } from '../maps/core-plugin.js';
import { createRng } from '../rng/rng.js';
import { checkMapConformance } from './map-conformance.js';

// Both backends train convolutions (@pfm/backend-wasm adds the kernels tfjs-backend-wasm lacks).
const convolutionGradients = true;

const registry = createRegistry({ plugins: [corePlugin] });
const cases: { id: string; options: Record<string, unknown>; gradients: boolean }[] = [
  { id: 'mlp', options: { inputDim: 3, outputDim: 2, hidden: [8, 8] }, gradients: true },
  { id: 'time-mlp', options: { dim: 3, hidden: [8], timeEmbedding: 'sinusoidal' }, gradients: true },
  { id: 'conv-generator', options: { inputDim: 4, outputShape: [8, 8, 1], channels: [8, 8, 8] }, gradients: convolutionGradients },
  {
    id: 'conv-generator',
    options: { inputDim: 4, outputShape: [6, 10, 3], channels: [8, 8], upsample: 'transposed', norm: 'none', outputActivation: 'linear' },
    gradients: convolutionGradients,
  },
  { id: 'conv-encoder', options: { inputShape: [8, 8, 2], outputDim: 3, channels: [4, 8], hidden: [5] }, gradients: convolutionGradients },
  { id: 'conv-encoder', options: { inputShape: [7, 5, 1], outputDim: 2, channels: [8], norm: 'group', groups: 4 }, gradients: convolutionGradients },
  { id: 'unet', options: { shape: [8, 8, 1], channels: 8, channelMult: [1, 2], groups: 4 }, gradients: convolutionGradients },
  { id: 'unet', options: { shape: [6, 6, 2], channels: 4, channelMult: [1, 1, 2], groups: 2, blocks: 2 }, gradients: convolutionGradients },
  // Conditional maps: the suite feeds condition rows (half of them dropped to the null embedding).
  { id: 'mlp', options: { inputDim: 3, outputDim: 2, hidden: [8], condition: { classes: 4, embeddingDim: 3, join: 'film' } }, gradients: true },
  { id: 'conv-generator', options: { inputDim: 4, outputShape: [8, 8, 1], channels: [8, 8], condition: { classes: 5, embeddingDim: 4 } }, gradients: convolutionGradients },
  { id: 'conv-encoder', options: { inputShape: [8, 8, 1], outputDim: 3, channels: [4], hidden: [6], condition: { contextDim: 2, embeddingDim: 3 } }, gradients: convolutionGradients },
  { id: 'conv-encoder', options: { inputShape: [6, 6, 2], outputDim: 2, channels: [4], condition: { classes: 3, embeddingDim: 2 } }, gradients: convolutionGradients },
];

describe('checkMapConformance', () => {
  for (const { id, options, gradients } of cases) {
    it(`passes ${id} ${JSON.stringify(options)}`, () => {
      const before = tf.memory().numTensors;
      const map = registry.create('map', { id, options }, { rng: createRng(7) });
      checkMapConformance(map, { registry, gradients });
      map.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('catches a conditional map whose condition never reaches the output', () => {
    const before = tf.memory().numTensors;
    const inner = registry.create('map', { id: 'conv-generator', options: { inputDim: 2, outputShape: [4, 4, 1], channels: [4, 4], norm: 'none', condition: { classes: 3 } } }, { rng: createRng(3) }) as PushforwardMap;
    // Reads the condition's shape but drops it: a bug the suite must name.
    const blind: PushforwardMap = { ...inner, apply: (z, condition) => tf.tidy(() => inner.apply(z, condition && { values: tf.zerosLike(condition.values) })) };
    expect(() => checkMapConformance(blind, { gradients: false })).toThrow(/conv-generator: another condition gives the same output/);
    inner.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('catches a map that mixes rows (a batch statistic) and one with a dead variable', () => {
    const before = tf.memory().numTensors;
    const scale = tf.tidy(() => tf.variable(tf.scalar(2), true, 'test-map/scale'));
    const unused = tf.tidy(() => tf.variable(tf.scalar(1), true, 'test-map/unused'));
    const make = (centre: boolean): PushforwardMap => ({
      inputDim: 2,
      outputDim: 2,
      nfe: 1,
      variables: [scale, unused],
      apply: (z) => {
        if (z.shape[1] !== 2) throw new RangeError('width');
        return tf.tidy(() => tf.mul(centre ? tf.sub(z, tf.mean(z, 0)) : z, scale) as tf.Tensor2D);
      },
      toSpec: () => ({ type: 'test-map', options: {} }),
      dispose: () => undefined,
    });
    expect(() => checkMapConformance(make(true))).toThrow(/test-map: rows are not independent/);
    expect(() => checkMapConformance(make(false))).toThrow(/test-map: (no gradient reaches|the gradient of) test-map\/unused/);
    tf.dispose([scale, unused]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
