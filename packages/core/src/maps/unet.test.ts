import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng.js';
import { createRegistry } from '../registry/registry.js';
import { decodeModelFile } from '../io/decode-model-file.js';
import { encodeModelFile } from '../io/encode-model-file.js';
import { mapFromRecord, mapToRecord } from '../model/map-record.js';
import { corePlugin } from './core-plugin.js';
import { unet } from './unet.js';

const registry = createRegistry({ plugins: [corePlugin] });

describe('unet', () => {
  it('maps [n, h·w·c] to itself for sizes that do and do not divide 2^(L−1)', () => {
    const before = tf.memory().numTensors;
    for (const shape of [[8, 8, 1], [12, 12, 1], [7, 5, 2]] as [number, number, number][]) {
      const v = unet({ shape, channels: 8, channelMult: [1, 2, 2], finalScale: 1 }, createRng(1));
      const d = shape[0] * shape[1] * shape[2];
      expect(v.dim).toBe(d);
      tf.tidy(() => {
        const x = createRng(2).normal([3, d]) as tf.Tensor2D;
        const y = v.evaluate(tf.tensor1d([0, 0.5, 1]), x);
        expect(y.shape).toEqual([3, d]);
        expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
        // The time embedding matters: another t, another output.
        expect(Array.from(v.evaluate(0.25, x).dataSync())).not.toEqual(Array.from(v.evaluate(0.75, x).dataSync()));
      });
      v.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('starts at v = 0 by default (zero-initialised output conv, as DDPM) and counts its parameters', () => {
    const before = tf.memory().numTensors;
    const v = unet({ shape: [8, 8, 1], channels: 8, channelMult: [1, 2] }, createRng(3));
    tf.tidy(() => {
      const y = v.evaluate(0.3, createRng(4).normal([2, 64]) as tf.Tensor2D);
      expect(Array.from(y.dataSync()).every((value) => value === 0)).toBe(true);
    });
    // Time MLP: (2·16 + 1)·32 + (32 + 1)·32; input conv 9·1·8 + 8; down0/res0 (8 → 8), downsample
    // 8 → 8, down1/res0 (8 → 16, 1×1 skip), middle (16), up1/res0..1 (16+16 → 16, 16+8 → 16),
    // upsample 16 → 16, up0/res0..1 (16+8 → 8, 8+8 → 8); output norm and conv 9·8·1 + 1.
    const res = (cIn: number, cOut: number) => 4 * cIn / 2 + 9 * cIn * cOut + cOut + 33 * cOut + 2 * cOut + 9 * cOut * cOut + cOut + (cIn !== cOut ? cIn * cOut + cOut : 0);
    const expected =
      33 * 32 + 33 * 32 + (9 * 8 + 8) + res(8, 8) + (9 * 64 + 8) + res(8, 16) + res(16, 16) + res(32, 16) + res(24, 16) + (9 * 256 + 16) + res(24, 8) + res(16, 8) + 16 + (9 * 8 + 1);
    expect(v.variables.reduce((s, w) => s + w.size, 0)).toBe(expected);
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is rebuilt from a model file with the same outputs', () => {
    const before = tf.memory().numTensors;
    const v = unet({ shape: [6, 6, 1], channels: 4, channelMult: [1, 2], groups: 2, finalScale: 1 }, createRng(5));
    const content = { method: 'none', options: {}, dim: 36, plugins: [], maps: { velocity: mapToRecord(v) }, extra: {} };
    const loaded = decodeModelFile(encodeModelFile(content, { weights: 'inline' }).json, { source: 'v.json' });
    const copy = mapFromRecord(loaded.maps.velocity!, registry, 'maps.velocity');
    tf.tidy(() => {
      const x = createRng(6).normal([3, 36]) as tf.Tensor2D;
      expect(Array.from((copy as typeof v).evaluate(0.4, x).dataSync())).toEqual(Array.from(v.evaluate(0.4, x).dataSync()));
    });
    copy.dispose();
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the field of a bad option, the expected input and a bad t', () => {
    const before = tf.memory().numTensors;
    const create = (options: Record<string, unknown>) =>
      registry.create('map', { id: 'unet', options: { shape: [8, 8, 1], ...options } }, { rng: createRng(1) }, 'model');
    expect(() => create({ channels: 12 })).toThrow(/model\.options\.groups: 8 groups do not divide 12 channels/);
    expect(() => create({ channelMult: [] })).toThrow(/model\.options\.channelMult/);
    expect(() => create({ shape: [8, 8, 1, 1] })).toThrow(/model\.options\.shape/);
    expect(() => create({ attention: true })).toThrow(/attention/);
    const v = unet({ shape: [4, 4, 1], channels: 8, channelMult: [1] }, createRng(1));
    const bad = tf.zeros([2, 15]) as tf.Tensor2D;
    expect(() => v.evaluate(0.5, bad)).toThrow(/unet: expected x \[n, 16\] \(images 4×4×1\), got \[2, 15\]/);
    const x = tf.zeros([2, 16]) as tf.Tensor2D;
    const t = tf.zeros([3]);
    expect(() => v.evaluate(t, x)).toThrow(/unet: t has 3 entries for 2 rows/);
    tf.dispose([bad, x, t]);
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fits a fixed batch: a flow-matching regression loss on (t, x) falls below half in 15 Adam steps', () => {
    const before = tf.memory().numTensors;
    const v = unet({ shape: [6, 6, 1], channels: 4, channelMult: [1, 2], groups: 2 }, createRng(7));
    const x = createRng(8).normal([4, 36]) as tf.Tensor2D;
    const t = createRng(9).uniform([4]) as tf.Tensor1D;
    const target = createRng(10).uniform([4, 36]);
    const optimizer = tf.train.adam(0.03);
    const loss = () => tf.tidy(() => tf.mean(tf.square(tf.sub(v.evaluate(t, x), target))) as tf.Scalar);
    const first = tf.tidy(() => loss().dataSync()[0]!);
    for (let i = 0; i < 15; i++) optimizer.minimize(loss, false, [...v.variables])?.dispose();
    const last = tf.tidy(() => loss().dataSync()[0]!);
    expect(last).toBeLessThan(first / 2);
    optimizer.dispose();
    tf.dispose([x, t, target]);
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 180_000);
});
