import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { degenerateData } from './degenerate-data.js';
import { z } from 'zod';
import { generatorModel } from '../model/generator-model.js';
import type { ObjectiveEntry } from '../registry/entries.js';
import { definePlugin } from '../registry/plugin.js';
import { createRegistry } from '../registry/registry.js';
import { trainRecipe } from './recipe.js';

const kinds = (values: number[], rows: number, cols: number, options = {}) => degenerateData(Float32Array.from(values), rows, cols, options).map((w) => w.kind);

// The smallest objective: a point θ ∈ R^d fitted to the data by mean squared distance.
const pointFit: ObjectiveEntry = {
  kind: 'objective',
  id: 'point-fit',
  description: 'fit one point to the data',
  schema: z.object({}).strict(),
  create(_options, ctx) {
    const theta = tf.tidy(() => tf.variable(tf.zeros([ctx.dim]), true, 'point-fit/theta'));
    const map = { inputDim: ctx.dim, outputDim: ctx.dim, variables: [theta], apply: (z: tf.Tensor2D) => tf.tidy(() => tf.add(tf.mul(z, 0), theta) as tf.Tensor2D), dispose: () => theta.dispose() };
    return {
      players: [{ name: 'point', variables: [theta], loss: ({ batch }) => tf.tidy(() => tf.mean(tf.sum(tf.square(tf.sub(batch, theta)), 1)) as tf.Scalar) }],
      model: generatorModel({ method: 'point-fit', options: { latentDim: ctx.dim, noise: 'gaussian' }, generator: map as never }),
    };
  },
  load: () => {
    throw new Error('not saved in this test');
  },
};
const registry = createRegistry({ plugins: [definePlugin({ name: 'point-fit', version: '1.0.0', entries: [pointFit] })] });

describe('degenerateData', () => {
  it('names one point, fewer points than the batch and than the dimension', () => {
    const one = degenerateData(Float32Array.from([1, 2]), 1, 2, { batchSize: 256 });
    expect(one.map((w) => w.kind)).toEqual(['single-point', 'fewer-points-than-batch', 'fewer-points-than-dimensions']);
    expect(one[0]!.message).toContain('1 point;');
    expect(one[1]!.message).toContain('batch size 256');
    expect(one[2]!.message).toContain('1 point in 2 dimensions');
    expect(kinds([1, 2, 3, 4, 5, 6], 2, 3)).toEqual(['fewer-points-than-dimensions']);
  });

  it('names constant columns (with their indices) but not on images, and rows that are all one point', () => {
    const constant = degenerateData(Float32Array.from([1, 5, 0, 2, 5, -0, 3, 5, 0]), 3, 3);
    expect(constant.map((w) => w.kind)).toEqual(['constant-columns']);
    // -0 and 0 are the same value: column 2 is constant.
    expect(constant[0]!.message).toContain('2 of 3 columns');
    expect(constant[0]!.message).toContain('0-based: 1, 2)');
    expect(kinds([1, 5, 0, 2, 5, 0, 3, 5, 0], 3, 3, { images: true })).toEqual([]);
    expect(kinds([1, 2, 1, 2, 1, 2], 3, 2)).toEqual(['duplicate-rows']);
    expect(kinds([1, 2, 3, 4, 5, 7], 3, 2, { batchSize: 3 })).toEqual([]);
  });

  it('rejects inconsistent sizes naming the field', () => {
    expect(() => degenerateData(new Float32Array(5), 2, 3)).toThrow(/"values" has 5 entries, expected rows · cols = 2 · 3 = 6/);
    expect(() => degenerateData(new Float32Array(0), 0, 0)).toThrow(/"cols" must be a positive integer, got 0/);
  });

  it("is in trainRecipe's result and goes to onWarning", async () => {
    const data = tf.tensor2d([[1, 2]]);
    const before = tf.memory().numTensors;
    const seen: string[] = [];
    const trained = await trainRecipe({ method: 'point-fit', steps: 2, batchSize: 4 }, data, { registry, onWarning: (m) => seen.push(m) });
    trained.model.dispose();
    expect(trained.warnings.map((w) => w.kind)).toEqual(['single-point', 'fewer-points-than-batch', 'fewer-points-than-dimensions']);
    expect(seen).toEqual(trained.warnings.map((w) => w.message));
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });
});
