import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng.js';
import { createRegistry } from '../registry/registry.js';
import { decodeModelFile } from '../io/decode-model-file.js';
import { encodeModelFile } from '../io/encode-model-file.js';
import { mapFromRecord, mapToRecord } from '../model/map-record.js';
import { corePlugin } from './core-plugin.js';
import { convEncoder } from './conv-encoder.js';

const registry = createRegistry({ plugins: [corePlugin] });

describe('conv-encoder', () => {
  it('halves the grid per convolution (rounding up) and ends with the dense layers', () => {
    const before = tf.memory().numTensors;
    const e = convEncoder({ inputShape: [28, 28, 1], outputDim: 10, channels: [8, 16], hidden: [32] }, createRng(1));
    // 28 → 14 → 7: the flattened features are 7·7·16.
    expect(e.variables.map((v) => v.shape)).toEqual([[3, 3, 1, 8], [8], [3, 3, 8, 16], [16], [7 * 7 * 16, 32], [32], [32, 10], [10]]);
    const odd = convEncoder({ inputShape: [9, 5, 3], outputDim: 2, channels: [4, 4] }, createRng(1));
    // 9×5 → 5×3 → 3×2.
    expect(odd.variables[4]!.shape).toEqual([3 * 2 * 4, 2]);
    tf.tidy(() => {
      expect(e.apply(createRng(2).uniform([5, 784]) as tf.Tensor2D).shape).toEqual([5, 10]);
      expect(odd.apply(createRng(2).uniform([3, 135]) as tf.Tensor2D).shape).toEqual([3, 2]);
    });
    e.dispose();
    odd.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads rows as NHWC images (row = pixel by pixel, channels innermost)', () => {
    const before = tf.memory().numTensors;
    const e = convEncoder({ inputShape: [2, 2, 2], outputDim: 1, channels: [1], activation: 'linear' }, createRng(1));
    tf.tidy(() => {
      const [kernel, bias, dense, denseBias] = e.variables;
      // A stride-2 'same' 3×3 conv on 2×2 pads only after (TF's rule), so kernel tap (i, j) sees pixel (i, j).
      const k = new Float32Array(18);
      k[0] = 1; // tap (0, 0), channel 0
      k[1] = 2; // tap (0, 0), channel 1
      k[(1 * 3 + 1) * 2] = 10; // tap (1, 1), channel 0
      k[(1 * 3 + 1) * 2 + 1] = 20; // tap (1, 1), channel 1
      kernel!.assign(tf.tensor4d(k, [3, 3, 2, 1]));
      bias!.assign(tf.zeros([1]));
      dense!.assign(tf.ones([1, 1]));
      denseBias!.assign(tf.zeros([1]));
      // Pixels (0,0) = (3, 5), (0,1) = (7, 11), (1,0) = (13, 17), (1,1) = (19, 23).
      const y = e.apply(tf.tensor2d([[3, 5, 7, 11, 13, 17, 19, 23]])).dataSync()[0]!;
      expect(y).toBeCloseTo(3 + 2 * 5 + 10 * 19 + 20 * 23, 3);
    });
    e.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is rebuilt from a model file with the same outputs', () => {
    const before = tf.memory().numTensors;
    const e = convEncoder({ inputShape: [8, 8, 1], outputDim: 2, channels: [8, 8], norm: 'group', groups: 4 }, createRng(4));
    const content = { method: 'none', options: {}, dim: 64, plugins: [], maps: { critic: mapToRecord(e) }, extra: {} };
    const loaded = decodeModelFile(encodeModelFile(content, { weights: 'inline' }).json, { source: 'e.json' });
    const copy = mapFromRecord(loaded.maps.critic!, registry, 'maps.critic');
    tf.tidy(() => {
      const x = createRng(5).uniform([4, 64]) as tf.Tensor2D;
      expect(Array.from((copy as typeof e).apply(x).dataSync())).toEqual(Array.from(e.apply(x).dataSync()));
    });
    copy.dispose();
    e.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the field of a bad option and the expected input', () => {
    const before = tf.memory().numTensors;
    const create = (options: Record<string, unknown>) =>
      registry.create('map', { id: 'conv-encoder', options: { inputShape: [8, 8, 1], outputDim: 1, ...options } }, { rng: createRng(1) }, 'critic');
    expect(() => create({ channels: [] })).toThrow(/critic\.options\.channels/);
    expect(() => create({ norm: 'group', channels: [6] })).toThrow(/critic\.options\.groups: 8 groups do not divide 6 channels/);
    expect(() => create({ inputShape: [8, 0, 1] })).toThrow(/critic\.options\.inputShape\.1/);
    const e = convEncoder({ inputShape: [4, 4, 1], outputDim: 1, channels: [2] }, createRng(1));
    const bad = tf.zeros([2, 15]) as tf.Tensor2D;
    expect(() => e.apply(bad)).toThrow(/conv-encoder: expected input \[n, 16\] \(images 4×4×1\), got \[2, 15\]/);
    bad.dispose();
    e.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fits a fixed batch: a classifier of two image classes drives its logistic loss below a third', () => {
    const before = tf.memory().numTensors;
    const e = convEncoder({ inputShape: [8, 8, 1], outputDim: 1, channels: [8, 8] }, createRng(6));
    const x = createRng(7).uniform([16, 64]) as tf.Tensor2D;
    const labels = tf.tensor2d(Array.from({ length: 16 }, (_, i) => [i % 2]));
    const optimizer = tf.train.adam(0.01);
    const loss = () => tf.tidy(() => tf.losses.sigmoidCrossEntropy(labels, e.apply(x)) as tf.Scalar);
    const first = tf.tidy(() => loss().dataSync()[0]!);
    for (let i = 0; i < 60; i++) optimizer.minimize(loss, false, [...e.variables])?.dispose();
    const last = tf.tidy(() => loss().dataSync()[0]!);
    expect(first).toBeGreaterThan(0.6);
    expect(last).toBeLessThan(first / 3);
    optimizer.dispose();
    tf.dispose([x, labels]);
    e.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
  it('with condition: the embedding joins by concatenation (a wider first dense layer), the rows follow their labels, film is refused', () => {
    const before = tf.memory().numTensors;
    const map = convEncoder({ inputShape: [4, 4, 1], outputDim: 3, channels: [4], condition: { classes: 3, embeddingDim: 2 } }, createRng(2));
    expect(map.condition).toEqual({ kind: 'class', classes: 3 });
    // The dense0 layer reads the features and the 2-wide embedding; the table and the null row come last.
    expect(map.variables.find((v) => v.name.endsWith('/dense0/kernel'))!.shape[0]).toBe(2 * 2 * 4 + 2);
    expect(map.variables.slice(-2).map((v) => v.shape)).toEqual([[3, 2], [2]]);
    tf.tidy(() => {
      const x = createRng(3).normal([2, 16]) as tf.Tensor2D;
      const both = map.apply(x, { values: tf.tensor1d([0, 2], 'int32') });
      // Row i under label c equals row i alone under c; another label moves it.
      const first = map.apply(tf.slice(x, [0, 0], [1, -1]) as tf.Tensor2D, { values: tf.tensor1d([0], 'int32') });
      expect(Array.from(first.dataSync())).toEqual(Array.from(tf.slice(both, [0, 0], [1, -1]).dataSync()));
      const other = map.apply(x, { values: tf.tensor1d([1, 2], 'int32') });
      expect(tf.max(tf.abs(tf.sub(other, both))).dataSync()[0]!).toBeGreaterThan(0);
      expect(() => map.apply(x)).toThrow(/conv-encoder: this map is conditioned on class labels 0…2; pass the condition of the 2 rows/);
    });
    const plain = convEncoder({ inputShape: [4, 4, 1], outputDim: 3, channels: [4] }, createRng(2));
    tf.tidy(() => {
      expect(() => plain.apply(tf.zeros([2, 16]) as tf.Tensor2D, { values: tf.tensor1d([0, 1], 'int32') })).toThrow('conv-encoder: this map is unconditional; it takes no condition (build it with the "condition" option)');
    });
    expect(() => registry.create('map', { id: 'conv-encoder', options: { inputShape: [4, 4, 1], outputDim: 3, channels: [4], condition: { classes: 3, join: 'film' } } }, { rng: createRng(1) }, 'network')).toThrow(
      /network\.options\.condition\.join: conv-encoder joins the condition to the .*; expected "concat", got "film"/,
    );
    map.dispose();
    plain.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
