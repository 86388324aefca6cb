import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRegistry } from '../registry/registry.js';
import { definePlugin } from '../registry/plugin.js';
import { corePlugin } from '../maps/core-plugin.js';
import { createRng } from '../rng/rng.js';
import { mlp } from '../maps/mlp.js';
import { timeMlp } from '../maps/time-mlp.js';
import { unet } from '../maps/unet.js';
import type { Model } from '../contracts/model.js';
import type { PushforwardMap } from '../contracts/map.js';
import type { ObjectiveEntry } from '../registry/entries.js';
import { conditionRows, checkConditionRows } from './condition-rows.js';
import { parseConditionSpec, sameConditionSpec } from './condition-spec.js';
import { modelFromContent, modelToContent } from './model-content.js';
import { decodeModelFile } from '../io/decode-model-file.js';
import { encodeModelFile } from '../io/encode-model-file.js';
import { createTrainingRun, parseRecipe } from '../train/recipe.js';
import { train } from '../train/trainer.js';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('condition specs and rows', () => {
  it('parses the two kinds and names the field, the value and what was expected otherwise', () => {
    expect(parseConditionSpec({ kind: 'class', classes: 10 })).toEqual({ kind: 'class', classes: 10 });
    expect(parseConditionSpec({ kind: 'context', dim: 3 })).toEqual({ kind: 'context', dim: 3 });
    expect(() => parseConditionSpec({ kind: 'class', classes: 1 }, 'condition')).toThrow(/condition\.classes: expected an integer in 2…\d+, got 1/);
    expect(() => parseConditionSpec({ kind: 'label', classes: 3 })).toThrow(/expected \{ "kind": "class".*got \{"kind":"label","classes":3\}/);
    expect(() => parseConditionSpec({ kind: 'context', dim: 2, extra: 1 })).toThrow(/got \{"kind":"context","dim":2,"extra":1\}/);
    expect(sameConditionSpec({ kind: 'class', classes: 3 }, { kind: 'class', classes: 3 })).toBe(true);
    expect(sameConditionSpec({ kind: 'class', classes: 3 }, { kind: 'context', dim: 3 })).toBe(false);
    expect(sameConditionSpec(undefined, undefined)).toBe(true);
  });

  it('turns labels and contexts into rows, repeating a single one, and rejects bad ones', () => {
    const before = tf.memory().numTensors;
    const spec = { kind: 'class', classes: 4 } as const;
    const labels = conditionRows(spec, [0, 3, 2], 3);
    expect(labels.dtype).toBe('int32');
    expect(values(labels)).toEqual([0, 3, 2]);
    const one = conditionRows(spec, 2, 3);
    expect(values(one)).toEqual([2, 2, 2]);
    expect(() => conditionRows(spec, [0, 4, 1], 3)).toThrow('condition: label 4 at row 1 is not a class of this model; expected an integer in 0…3');
    expect(() => conditionRows(spec, 1.5, 3)).toThrow(/label 1\.5 is not a class/);
    expect(() => conditionRows(spec, [0, 1], 3)).toThrow('condition: expected 3 class labels (one per row) or one for all rows, got 2');
    const context = { kind: 'context', dim: 2 } as const;
    const rows = conditionRows(context, [1, 2], 3);
    expect(rows.shape).toEqual([3, 2]);
    expect(values(rows)).toEqual([1, 2, 1, 2, 1, 2]);
    expect(() => conditionRows(context, [1, 2, 3], 2)).toThrow(/expected a context vector of dimension 2 .* got 3 numbers/);
    expect(() => conditionRows(context, [1, NaN], 2)).toThrow(/context entry 1 \(row 0, column 1\) is NaN/);
    const bad = tf.tensor1d([0, 5], 'int32');
    expect(() => checkConditionRows(spec, bad, 2)).toThrow('condition: label 5 at row 1; expected an integer in 0…3');
    tf.dispose([labels, one, rows, bad]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('conditional mlp and time-mlp', () => {
  it('a FiLM-conditioned MLP starts as the unconditional one (same weights, zero FiLM) and then depends on the label', () => {
    const before = tf.memory().numTensors;
    const plain = mlp({ inputDim: 2, outputDim: 2, hidden: [8, 8] }, createRng(5));
    const film = mlp({ inputDim: 2, outputDim: 2, hidden: [8, 8], condition: { classes: 3, join: 'film', embeddingDim: 4 } }, createRng(5));
    expect(film.condition).toEqual({ kind: 'class', classes: 3 });
    expect(plain.condition).toBeUndefined();
    expect(plain.toSpec().options).not.toHaveProperty('condition');
    const x = tf.tensor2d([0.3, -0.2, 1, 2], [2, 2]);
    const labels = tf.tensor1d([0, 2], 'int32');
    const y0 = plain.apply(x);
    const y1 = film.apply(x, { values: labels });
    expect(values(y1)).toEqual(values(y0));
    // Give the FiLM weights a value: now the label changes the output, and keep = 0 rows ignore the label.
    tf.tidy(() => {
      film.variables.filter((v) => v.name.includes('/film/kernel')).forEach((v) => v.assign(tf.onesLike(v)));
      const a = film.apply(x, { values: tf.tensor1d([0, 0], 'int32') });
      const b = film.apply(x, { values: tf.tensor1d([1, 1], 'int32') });
      expect(Math.max(...values(tf.abs(tf.sub(a, b))))).toBeGreaterThan(1e-4);
      const zero = tf.zeros([2]) as tf.Tensor1D;
      const nullA = film.apply(x, { values: tf.tensor1d([0, 0], 'int32'), keep: zero });
      const nullB = film.apply(x, { values: tf.tensor1d([2, 1], 'int32'), keep: zero });
      expect(values(nullA)).toEqual(values(nullB));
      expect(() => plain.apply(x, { values: labels })).toThrow(/unconditional; it takes no condition/);
      expect(() => film.apply(x)).toThrow(/conditioned on class labels 0…2; pass the condition of the 2 rows/);
      expect(() => film.apply(x, { values: tf.tensor1d([0], 'int32') })).toThrow(/condition values must be \[2\] labels, got \[1\]/);
    });
    tf.dispose([x, labels, y0, y1]);
    plain.dispose();
    film.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a concat-conditioned time-mlp takes a context vector beside the time embedding', () => {
    const before = tf.memory().numTensors;
    const field = timeMlp({ dim: 2, hidden: [8], timeEmbedding: 'sinusoidal', condition: { contextDim: 3 } }, createRng(1));
    expect(field.condition).toEqual({ kind: 'context', dim: 3 });
    expect(field.network.variables[0]!.shape).toEqual([2 + 16 + 32, 8]);
    const x = tf.tensor2d([0.1, 0.2, 0.3, 0.4], [2, 2]);
    const c1 = tf.tensor2d([1, 0, 0, 1, 0, 0], [2, 3]);
    const c2 = tf.tensor2d([0, 0, 1, 0, 0, 1], [2, 3]);
    const v1 = field.evaluate(0.5, x, { values: c1 });
    const v2 = field.evaluate(0.5, x, { values: c2 });
    expect(v1.shape).toEqual([2, 2]);
    expect(Math.max(...tf.tidy(() => values(tf.abs(tf.sub(v1, v2)))))).toBeGreaterThan(1e-5);
    tf.dispose([x, c1, c2, v1, v2]);
    field.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('conditional unet', () => {
  it('adds the class embedding to the time embedding: the label moves the output, the null condition does not see it', () => {
    const before = tf.memory().numTensors;
    const field = unet({ shape: [4, 4, 1], channels: 8, channelMult: [1, 2], groups: 4, finalScale: 1, condition: { classes: 10 } }, createRng(2));
    expect(field.condition).toEqual({ kind: 'class', classes: 10 });
    expect(field.toSpec().options).toMatchObject({ condition: { classes: 10 } });
    tf.tidy(() => {
      const x = createRng(3).normal([2, 16]) as tf.Tensor2D;
      const a = field.evaluate(0.3, x, { values: tf.tensor1d([7, 7], 'int32') });
      const b = field.evaluate(0.3, x, { values: tf.tensor1d([1, 1], 'int32') });
      expect(Math.max(...values(tf.abs(tf.sub(a, b))))).toBeGreaterThan(1e-5);
      const keep = tf.zeros([2]) as tf.Tensor1D;
      const nullA = field.evaluate(0.3, x, { values: tf.tensor1d([7, 7], 'int32'), keep });
      const nullB = field.evaluate(0.3, x, { values: tf.tensor1d([1, 2], 'int32'), keep });
      expect(values(nullA)).toEqual(values(nullB));
      expect(() => field.evaluate(0.3, x)).toThrow(/unet: this map is conditioned on class labels 0…9/);
    });
    field.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

// A tiny conditional objective: φ(z | c) trained to put class c at c on the first axis.
const schema = z.object({ conditional: z.boolean().default(true) }).strict();
const recorded: { batch: number[]; condition: number[] }[] = [];
function conditionalModel(generator: PushforwardMap): Model {
  return {
    method: 'class-shift',
    options: {},
    dim: 1,
    maps: { generator },
    nfe: 1,
    ...(generator.condition ? { condition: generator.condition } : {}),
    sample(n, rng, options = {}) {
      return tf.tidy(() => {
        const rows = generator.condition ? conditionRows(generator.condition, options.condition ?? 0, n) : undefined;
        return generator.apply(rng.normal([n, 1]) as tf.Tensor2D, rows ? { values: rows } : undefined);
      });
    },
    dispose() {
      generator.dispose();
    },
  };
}
const classShift: ObjectiveEntry<z.output<typeof schema>> = {
  kind: 'objective',
  id: 'class-shift',
  description: 'move class c to c',
  schema,
  create(options, ctx) {
    const condition = options.conditional && ctx.condition?.kind === 'class' ? { classes: ctx.condition.classes } : undefined;
    const generator = mlp({ inputDim: 1, outputDim: 1, hidden: [8], ...(condition ? { condition } : {}) }, ctx.rng);
    return {
      players: [
        {
          name: 'generator',
          variables: generator.variables,
          loss: ({ batch, condition: labels, rng }) =>
            tf.tidy(() => {
              recorded.push({ batch: values(batch), condition: labels ? values(labels) : [] });
              const out = generator.apply(rng.normal([batch.shape[0], 1]) as tf.Tensor2D, labels && generator.condition ? { values: labels } : undefined);
              return tf.mean(tf.square(tf.sub(out, batch))) as tf.Scalar;
            }),
        },
      ],
      model: conditionalModel(generator),
    };
  },
  load(parts) {
    return conditionalModel(parts.maps.generator as PushforwardMap);
  },
};
const registry = createRegistry({ plugins: [corePlugin, definePlugin({ name: 'condition-test', version: '1.0.0', entries: [classShift] })] });

describe('conditions through training and model files', () => {
  it('each minibatch carries the labels of its own rows, and the model file records the condition', async () => {
    const before = tf.memory().numTensors;
    // Row i holds the number i, its label is i mod 3: a batch whose labels do not follow its rows shows up at once.
    const data = tf.tensor2d(Float32Array.from({ length: 30 }, (_, i) => i), [30, 1]);
    const labels = tf.tensor1d(Int32Array.from({ length: 30 }, (_, i) => i % 3), 'int32');
    const recipe = parseRecipe({ method: 'class-shift', steps: 5, batchSize: 8 }, registry);
    const spec = { kind: 'class', classes: 3 } as const;
    const run = createTrainingRun(recipe, data, registry, { condition: { spec, rows: labels } });
    recorded.length = 0;
    await train(run, data, { steps: 5, batchSize: 8, seed: 0, condition: labels });
    expect(recorded).toHaveLength(5);
    for (const { batch, condition } of recorded) expect(condition).toEqual(batch.map((v) => v % 3));
    expect(run.model.condition).toEqual(spec);

    const content = modelToContent(run.model, registry);
    expect(content.condition).toEqual(spec);
    const decoded = decodeModelFile(encodeModelFile(content).json, { source: 'm.json' });
    expect(decoded.condition).toEqual(spec);
    const loaded = modelFromContent(decoded, registry, 'm.json');
    expect(loaded.condition).toEqual(spec);
    const a = run.model.sample(4, createRng(2), { condition: 1 });
    const b = loaded.sample(4, createRng(2), { condition: 1 });
    expect(values(b)).toEqual(values(a));

    // A file whose condition the objective does not rebuild, and a malformed condition.
    const claims = { ...decoded, condition: { kind: 'class' as const, classes: 5 } };
    expect(() => modelFromContent(claims, registry, 'm.json')).toThrow('m.json: condition: the file says class labels 0…4, but "class-shift" rebuilt a model with class labels 0…2');
    const text = JSON.parse(encodeModelFile(content).json) as Record<string, unknown>;
    text.condition = { kind: 'class', classes: 0 };
    expect(() => decodeModelFile(JSON.stringify(text), { source: 'm.json' })).toThrow(/m\.json: condition\.classes: expected an integer in 2…\d+, got 0/);
    // A file without a condition (as every older file) loads as unconditional.
    const { condition: _c, ...old } = modelToContent(run.model, registry);
    expect(() => modelFromContent(old, registry, 'old.json')).toThrow(/old\.json: condition: the file says no condition/);
    tf.dispose([data, labels, a, b]);
    run.model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses conditional data for an objective whose model ignores the condition, and a bad label, naming them', () => {
    const before = tf.memory().numTensors;
    const data = tf.tensor2d([1, 2, 3], [3, 1]);
    const labels = tf.tensor1d([0, 1, 2], 'int32');
    const recipe = parseRecipe({ method: 'class-shift', options: { conditional: false } }, registry);
    expect(() => createTrainingRun(recipe, data, registry, { condition: { spec: { kind: 'class', classes: 3 }, rows: labels } })).toThrow(
      /config\.method: "class-shift" does not support conditional data \(class labels 0…2\)/,
    );
    const ok = parseRecipe({ method: 'class-shift' }, registry);
    expect(() => createTrainingRun(ok, data, registry, { condition: { spec: { kind: 'class', classes: 2 }, rows: labels } })).toThrow(
      'condition.rows: label 2 at row 2; expected an integer in 0…1',
    );
    tf.dispose([data, labels]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
