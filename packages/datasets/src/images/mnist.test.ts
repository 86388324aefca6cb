import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRegistry, createRng, OptionsError } from '@pfm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetsPlugin } from '../plugin/datasets-plugin.js';
import { datasetsNodePlugin } from '../plugin/datasets-node-plugin.js';
import { inMnistSplit, MNIST_EVENT_SHAPE } from './mnist-schema.js';
import { mnist } from './mnist.js';
import { readMnist } from './read-mnist.js';
import type { ImageDataset } from './image-dataset.js';

// The package's own files, read here independently of readMnist, as the reference.
const folder = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
const raw = (digit: number) => (JSON.parse(readFileSync(join(folder, `${digit}.json`), 'utf8')) as { data: number[] }).data;
// Images per digit in the package (its files hold 10,000 images in all).
const COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

let all: ReturnType<typeof readMnist>;
let test: ImageDataset;
beforeAll(() => {
  all = readMnist({ split: 'all' });
  test = mnist({ split: 'test' });
});
afterAll(() => test.dispose());

describe('mnist', () => {
  it('holds the 10,000 images of the package in digit order, labelled by file, values the grey levels k/255 the files round to 3 decimals', () => {
    expect([all.rows, all.cols, all.shape]).toEqual([10_000, 784, [28, 28, 1]]);
    for (let digit = 0; digit < 10; digit++) expect(all.labels.filter((l) => l === digit).length).toBe(COUNTS[digit]);
    // Image 0 is digit 0's first; image 1001 is digit 1's first; the last is digit 9's last.
    const zero = raw(0);
    const nine = raw(9);
    const level = (values: number[]) => Array.from(Float32Array.from(values, (v) => Math.round(v * 255) / 255));
    expect(Array.from(all.values.subarray(0, 784))).toEqual(level(zero.slice(0, 784)));
    expect(Array.from(all.values.subarray(1001 * 784, 1002 * 784))).toEqual(level(raw(1).slice(0, 784)));
    expect(Array.from(all.values.subarray(9999 * 784))).toEqual(level(nine.slice(nine.length - 784)));
    // Each stored value is within 0.0006 of its level (the byte comes back), and there are 256 levels.
    for (let k = 0; k < zero.length; k++) expect(Math.abs(zero[k]! - Math.round(zero[k]! * 255) / 255)).toBeLessThan(6e-4);
    expect(new Set(all.values.subarray(0, 200 * 784)).size).toBeLessThanOrEqual(256);
    expect(Math.min(...all.values.subarray(0, 78_400))).toBe(0);
    expect(Math.max(...all.values.subarray(0, 78_400))).toBe(1);
  });

  it('splits by index: test when i mod 10 = 9 (1,000 images), train otherwise (9,000), in the same order', () => {
    expect(test.size).toBe(1000);
    const train = readMnist();
    expect([train.rows, train.labels.length]).toEqual([9000, 9000]);
    const testRows = test.data.dataSync();
    // The k-th test image is image 10k + 9 of all; the k-th train image is the k-th index with i mod 10 ≠ 9.
    for (const k of [0, 100, 999]) {
      expect(Array.from(testRows.subarray(k * 784, (k + 1) * 784))).toEqual(Array.from(all.values.subarray((10 * k + 9) * 784, (10 * k + 10) * 784)));
      expect(test.labels![k]).toBe(all.labels[10 * k + 9]);
    }
    for (const k of [0, 8, 9, 8999]) {
      const i = k + Math.floor(k / 9);
      expect(inMnistSplit(i, 'train')).toBe(true);
      expect(train.labels[k]).toBe(all.labels[i]);
      expect(Array.from(train.values.subarray(k * 784, k * 784 + 784))).toEqual(Array.from(all.values.subarray(i * 784, i * 784 + 784)));
    }
    expect(inMnistSplit(9, 'train')).toBe(false);
    expect(inMnistSplit(19, 'test')).toBe(true);
    // The split is by position, not by class: digit d's test images are the indices i ≡ 9 (mod 10) of its range.
    let start = 0;
    for (let d = 0; d < 10; d++) {
      let expected = 0;
      for (let i = start; i < start + COUNTS[d]!; i++) if (i % 10 === 9) expected++;
      expect(test.labels!.filter((l) => l === d).length, `digit ${d}`).toBe(expected);
      start += COUNTS[d]!;
    }
  });

  it('is a measure of images: eventShape [28, 28, 1], seeded sampling of rows of the split', () => {
    const before = tf.memory().numTensors;
    expect(test.dim).toBe(784);
    expect(test.eventShape).toEqual(MNIST_EVENT_SHAPE);
    const a = test.sample(16, createRng(7));
    const b = test.sample(16, createRng(7));
    const c = test.sample(16, createRng(8));
    expect(a.shape).toEqual([16, 784]);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(a.dataSync()));
    // Every drawn row is one of the split's images.
    const rows = test.data.dataSync();
    const drawn = a.dataSync();
    for (let r = 0; r < 16; r++) {
      const row = drawn.subarray(r * 784, (r + 1) * 784);
      let found = false;
      for (let k = 0; k < 1000 && !found; k++) found = row.every((v, j) => v === rows[k * 784 + j]);
      expect(found).toBe(true);
    }
    tf.dispose([a, b, c]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is the registry entry mnist of the Node plugin, and a bad split names the field', () => {
    const before = tf.memory().numTensors;
    const registry = createRegistry({ plugins: [datasetsPlugin, datasetsNodePlugin] });
    expect(registry.ids('dataset')).toContain('mnist');
    expect(datasetsPlugin.entries.some((e) => e.id === 'mnist')).toBe(false);
    expect(registry.parseOptions('dataset', 'mnist', {})).toEqual({ split: 'train' });
    expect(() => registry.parseOptions('dataset', 'mnist', { split: 'validation' })).toThrow(/options\.split/);
    expect(() => mnist({ split: 'validation' as 'train' })).toThrow(OptionsError);
    expect(() => mnist({ split: 'validation' as 'train' })).toThrow(/^mnist: bad options: options\.split/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
