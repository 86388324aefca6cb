import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng.js';
import { createRegistry } from '../registry/registry.js';
import { decodeModelFile } from '../io/decode-model-file.js';
import { encodeModelFile } from '../io/encode-model-file.js';
import { mapFromRecord, mapToRecord } from '../model/map-record.js';
import { corePlugin } from './core-plugin.js';
import { convGenerator } from './conv-generator.js';

const registry = createRegistry({ plugins: [corePlugin] });

describe('conv-generator', () => {
  it('returns rows of the exact image shape, cropping grids that overshoot', () => {
    const before = tf.memory().numTensors;
    const cases: { shape: [number, number, number]; channels: number[]; grid: [number, number] }[] = [
      { shape: [28, 28, 1], channels: [16, 8, 8], grid: [7, 7] },
      { shape: [32, 32, 1], channels: [16, 8, 8], grid: [8, 8] },
      { shape: [8, 8, 3], channels: [16, 8, 8], grid: [2, 2] },
      // ⌈10/8⌉ = 2 and ⌈6/8⌉ = 1: a 16×8 grid cropped to 10×6.
      { shape: [10, 6, 2], channels: [8, 8, 8, 8], grid: [2, 1] },
    ];
    for (const { shape, channels, grid } of cases) {
      for (const upsample of ['nearest-conv', 'transposed'] as const) {
        const g = convGenerator({ inputDim: 5, outputShape: shape, channels, upsample }, createRng(1));
        expect(g.outputDim).toBe(shape[0] * shape[1] * shape[2]);
        expect(g.variables[0]!.shape).toEqual([5, grid[0] * grid[1] * channels[0]!]);
        tf.tidy(() => {
          const x = g.apply(createRng(2).normal([3, 5]) as tf.Tensor2D);
          expect(x.shape).toEqual([3, shape[0] * shape[1] * shape[2]]);
          const values = x.dataSync();
          // The default output activation is a sigmoid: data in [0, 1].
          expect(values.every((v) => v > 0 && v < 1)).toBe(true);
        });
        g.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("draws conv weights from PyTorch's law U(±1/√(c_in·9)) and starts group norms at γ = 1, β = 0", () => {
    const before = tf.memory().numTensors;
    const g = convGenerator({ inputDim: 4, outputShape: [8, 8, 1], channels: [32, 16, 16] }, createRng(3));
    const byName = new Map(g.variables.map((v) => [v.name.slice(v.name.indexOf('/') + 1), v]));
    const kernel = Array.from(byName.get('up1/kernel')!.dataSync());
    const bound = 1 / Math.sqrt(32 * 9);
    expect(Math.max(...kernel.map(Math.abs))).toBeLessThanOrEqual(bound);
    // U(−a, a) has variance a²/3; 4,608 values put the sample variance within a few percent.
    const variance = kernel.reduce((s, v) => s + v * v, 0) / kernel.length;
    expect(variance / ((bound * bound) / 3)).toBeGreaterThan(0.9);
    expect(variance / ((bound * bound) / 3)).toBeLessThan(1.1);
    expect(Array.from(byName.get('norm1/scale')!.dataSync()).every((v) => v === 1)).toBe(true);
    expect(Array.from(byName.get('norm1/shift')!.dataSync()).every((v) => v === 0)).toBe(true);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is rebuilt from a model file with the same outputs', () => {
    const before = tf.memory().numTensors;
    const g = convGenerator({ inputDim: 3, outputShape: [8, 8, 1], channels: [8, 8, 8], outputActivation: 'linear' }, createRng(4));
    const content = { method: 'none', options: {}, dim: 64, plugins: [], maps: { generator: mapToRecord(g) }, extra: {} };
    const loaded = decodeModelFile(encodeModelFile(content, { weights: 'inline' }).json, { source: 'g.json' });
    const copy = mapFromRecord(loaded.maps.generator!, registry, 'maps.generator');
    tf.tidy(() => {
      const z = createRng(5).normal([4, 3]) as tf.Tensor2D;
      expect(Array.from((copy as typeof g).apply(z).dataSync())).toEqual(Array.from(g.apply(z).dataSync()));
    });
    copy.dispose();
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the field of a bad option and the expected input width', () => {
    const before = tf.memory().numTensors;
    const base = { inputDim: 2, outputShape: [8, 8, 1] as [number, number, number] };
    expect(() => registry.create('map', { id: 'conv-generator', options: { ...base, channels: [12, 8] } }, { rng: createRng(1) }, 'model')).toThrow(
      /model\.options\.groups: 8 groups do not divide 12 channels/,
    );
    expect(() => registry.create('map', { id: 'conv-generator', options: { ...base, outputShape: [8, 8] } }, { rng: createRng(1) }, 'model')).toThrow(
      /model\.options\.outputShape/,
    );
    expect(() => registry.create('map', { id: 'conv-generator', options: { ...base, upsample: 'bilinear' } }, { rng: createRng(1) }, 'model')).toThrow(
      /model\.options\.upsample/,
    );
    const g = convGenerator({ ...base, channels: [8, 8] }, createRng(1));
    const bad = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => g.apply(bad)).toThrow(/conv-generator: expected input \[n, 2\], got \[2, 3\]/);
    bad.dispose();
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fits a fixed batch: the squared error to one target image falls by over 30% in 25 Adam steps', () => {
    const before = tf.memory().numTensors;
    const g = convGenerator({ inputDim: 4, outputShape: [8, 8, 1], channels: [8, 8, 8] }, createRng(6));
    const z = createRng(7).normal([8, 4]) as tf.Tensor2D;
    const target = tf.tidy(() => tf.tile(createRng(8).uniform([1, 64]), [8, 1]));
    const optimizer = tf.train.adam(0.05);
    const loss = () => tf.tidy(() => tf.mean(tf.square(tf.sub(g.apply(z), target))) as tf.Scalar);
    const first = tf.tidy(() => loss().dataSync()[0]!);
    for (let i = 0; i < 25; i++) optimizer.minimize(loss, false, [...g.variables])?.dispose();
    const last = tf.tidy(() => loss().dataSync()[0]!);
    expect(last).toBeLessThan(0.7 * first);
    optimizer.dispose();
    tf.dispose([z, target]);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
  it('with condition: the embedding joins by concatenation (a wider first dense layer), the rows follow their labels, film is refused', () => {
    const before = tf.memory().numTensors;
    const map = convGenerator({ inputDim: 3, outputShape: [4, 4, 1], channels: [4, 4], norm: 'none', condition: { classes: 3, embeddingDim: 2 } }, createRng(2));
    expect(map.condition).toEqual({ kind: 'class', classes: 3 });
    // The project layer reads the features and the 2-wide embedding; the table and the null row come last.
    expect(map.variables.find((v) => v.name.endsWith('/project/kernel'))!.shape[0]).toBe(3 + 2);
    expect(map.variables.slice(-2).map((v) => v.shape)).toEqual([[3, 2], [2]]);
    tf.tidy(() => {
      const x = createRng(3).normal([2, 3]) as tf.Tensor2D;
      const both = map.apply(x, { values: tf.tensor1d([0, 2], 'int32') });
      // Row i under label c equals row i alone under c; another label moves it.
      const first = map.apply(tf.slice(x, [0, 0], [1, -1]) as tf.Tensor2D, { values: tf.tensor1d([0], 'int32') });
      expect(Array.from(first.dataSync())).toEqual(Array.from(tf.slice(both, [0, 0], [1, -1]).dataSync()));
      const other = map.apply(x, { values: tf.tensor1d([1, 2], 'int32') });
      expect(tf.max(tf.abs(tf.sub(other, both))).dataSync()[0]!).toBeGreaterThan(0);
      expect(() => map.apply(x)).toThrow(/conv-generator: this map is conditioned on class labels 0…2; pass the condition of the 2 rows/);
    });
    const plain = convGenerator({ inputDim: 3, outputShape: [4, 4, 1], channels: [4, 4], norm: 'none' }, createRng(2));
    tf.tidy(() => {
      expect(() => plain.apply(tf.zeros([2, 3]) as tf.Tensor2D, { values: tf.tensor1d([0, 1], 'int32') })).toThrow('conv-generator: this map is unconditional; it takes no condition (build it with the "condition" option)');
    });
    expect(() => registry.create('map', { id: 'conv-generator', options: { inputDim: 3, outputShape: [4, 4, 1], channels: [4, 4], norm: 'none', condition: { classes: 3, join: 'film' } } }, { rng: createRng(1) }, 'network')).toThrow(
      /network\.options\.condition\.join: conv-generator joins the condition to the .*; expected "concat", got "film"/,
    );
    map.dispose();
    plain.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
