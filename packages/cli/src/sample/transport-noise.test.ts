import * as tf from '@tensorflow/tfjs-core';
import { createRegistry, createRng, createTrainingRun, generatorModel, mlp, parseRecipe, type ConditionSpec, type Model, type PushforwardMap } from '@pfm/core';
import { isTransportModel } from '@pfm/flows';
import { describe, expect, it } from 'vitest';
import { cliPlugins } from '../plugins.js';
import { transportNoise } from './transport-noise.js';

const registry = createRegistry({ plugins: cliPlugins });

/**
 * Runs `check` on the (untrained, randomly initialised) conditional model of `method`, then
 * disposes everything. `generator` is a one-step generator on an MLP φ(z | c) conditioned as
 * `spec` (no statistics-matching objective takes a context, so it is built directly).
 */
function withConditionalModel(method: string, spec: ConditionSpec, check: (model: Model) => void): void {
  if (method === 'generator') {
    const condition = spec.kind === 'class' ? { classes: spec.classes, embeddingDim: 4 } : { contextDim: spec.dim };
    const model = generatorModel({ method: 'energy', options: { latentDim: 3, noise: 'gaussian' }, generator: mlp({ inputDim: 3, outputDim: 2, hidden: [8], condition }, createRng(5)) });
    try {
      check(model);
    } finally {
      model.dispose();
    }
    return;
  }
  const data = tf.tensor2d([0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8], [4, 2]);
  const rows = spec.kind === 'class' ? tf.tensor1d([0, 1, 2, 1], 'int32') : tf.tensor2d([1, 0, 0, 1, -1, 0, 0, -1], [4, 2]);
  const run = createTrainingRun(parseRecipe({ method, model: { hidden: [8] }, steps: 1, batchSize: 4, seed: 3 }, registry, 'config'), data, registry, { condition: { spec, rows } });
  try {
    check(run.model);
  } finally {
    run.dispose?.();
    run.model.dispose();
    data.dispose();
    rows.dispose();
  }
}

/** The samples of `model` from `noise` `[n, width]` in one call, each row with its own condition, as the reference. */
function reference(model: Model, noise: Float32Array, width: number, condition: tf.Tensor): Float32Array {
  return tf.tidy(() => {
    const z = tf.tensor2d(noise, [noise.length / width, width]);
    if (isTransportModel(model)) return model.transport(z, { condition, steps: 4 }).dataSync() as Float32Array;
    return (model.maps.generator as PushforwardMap).apply(z, { values: condition }).dataSync() as Float32Array;
  });
}

const noiseTable = (rows: number, cols: number) => ({ rows, cols, values: Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(1.7 * i + 0.3)) });

describe('transportNoise', () => {
  it('gives each chunk of a conditional flow and of a conditional generator the labels of its own rows', () => {
    const before = tf.memory().numTensors;
    const labels = new Int32Array([0, 2, 1, 1, 0]);
    for (const method of ['flow-matching', 'energy']) {
      withConditionalModel(method, { kind: 'class', classes: 3 }, (model) => {
        const width = isTransportModel(model) ? model.dim : (model.maps.generator as PushforwardMap).inputDim;
        const noise = noiseTable(5, width);
        const options = isTransportModel(model) ? { steps: 4 } : {};
        // Chunks of 2 rows: 2 + 2 + 1, so a chunk with the labels of the whole file would not fit.
        const got = transportNoise(model, noise, { ...options, condition: labels }, 2, 'z.csv');
        const want = tf.tidy(() => reference(model, noise.values, width, tf.tensor1d(labels, 'int32')));
        expect(got.length, method).toBe(5 * model.dim);
        for (let i = 0; i < got.length; i++) expect(got[i], `${method} value ${i}`).toBeCloseTo(want[i]!, 5);
        // One class for all rows is that class in every row, and differs from another class.
        const all = transportNoise(model, noise, { ...options, condition: 2 }, 2, 'z.csv');
        const wantAll = tf.tidy(() => reference(model, noise.values, width, tf.fill([5], 2, 'int32')));
        for (let i = 0; i < all.length; i++) expect(all[i], `${method} value ${i}`).toBeCloseTo(wantAll[i]!, 5);
        const other = transportNoise(model, noise, { ...options, condition: 0 }, 2, 'z.csv');
        expect(Math.max(...other.map((v, i) => Math.abs(v - all[i]!))), method).toBeGreaterThan(1e-4);
        // A generator takes no guidance, as its model.sample refuses it (a flow trained without dropout takes w = 1).
        if (!isTransportModel(model)) {
          expect(() => transportNoise(model, noise, { condition: 2, guidance: 1 }, 2, 'z.csv')).toThrow(/^--guidance 1: the energy model is a one-step generator; guidance applies to flows/);
        }
      });
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives each chunk the context vectors of its own rows (n × m values), or one vector to all rows', () => {
    const before = tf.memory().numTensors;
    const context = new Float32Array([1, 0, 0, 1, -1, 0, 0, -1, 0.5, 0.5]);
    for (const method of ['flow-matching', 'generator']) {
      withConditionalModel(method, { kind: 'context', dim: 2 }, (model) => {
        const width = isTransportModel(model) ? model.dim : (model.maps.generator as PushforwardMap).inputDim;
        const noise = noiseTable(5, width);
        const options = isTransportModel(model) ? { steps: 4 } : {};
        const got = transportNoise(model, noise, { ...options, condition: context }, 2, 'z.csv');
        const want = tf.tidy(() => reference(model, noise.values, width, tf.tensor2d(context, [5, 2])));
        for (let i = 0; i < got.length; i++) expect(got[i], `${method} value ${i}`).toBeCloseTo(want[i]!, 5);
        const one = transportNoise(model, noise, { ...options, condition: [0, 1] }, 2, 'z.csv');
        const wantOne = tf.tidy(() => reference(model, noise.values, width, tf.tensor2d([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], [5, 2])));
        for (let i = 0; i < one.length; i++) expect(one[i], `${method} value ${i}`).toBeCloseTo(wantOne[i]!, 5);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
