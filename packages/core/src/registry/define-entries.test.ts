import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineDiscrepancy } from './define-discrepancy.js';
import { defineObjective } from './define-objective.js';
import { defineController, defineDataset, defineIntegrator, defineKernel, defineMap, defineTestFunctions } from './define-entries.js';
import { defineEntry } from './define-entry.js';
import { gaussian } from '../measures/gaussian.js';
import { createRng } from '../rng/rng.js';
import { definePlugin } from './plugin.js';
import { createRegistry } from './registry.js';

const shiftSchema = z.strictObject({ power: z.number().int().min(1).default(2) });

// D(x, y) = |mean x − mean y|^power over every coordinate.
const meanGap = defineDiscrepancy({
  id: 'mean-gap',
  description: '|mean x − mean y|^power',
  schema: shiftSchema,
  create: (options) => {
    expectTypeOf(options).toEqualTypeOf<{ power: number }>();
    return (x, y) => tf.tidy(() => tf.sum(tf.pow(tf.abs(tf.sub(tf.mean(x), tf.mean(y))), options.power)) as tf.Scalar);
  },
});

const noop = defineObjective({
  id: 'noop',
  description: 'nothing to train',
  schema: z.strictObject({ label: z.string().default('x') }),
  create: (options) => {
    expectTypeOf(options.label).toEqualTypeOf<string>();
    throw new Error(`not trained: ${options.label}`);
  },
  load: (parts) => {
    expectTypeOf(parts.options).toEqualTypeOf<{ label: string }>();
    throw new Error('not loaded');
  },
});

describe('defineDiscrepancy / defineObjective', () => {
  it('fill in the kind and give create the schema-parsed options', () => {
    expect(meanGap.kind).toBe('discrepancy');
    expect(noop.kind).toBe('objective');
    const r = createRegistry({ plugins: [definePlugin({ name: 'user', version: '1', entries: [meanGap, noop] })] });
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([[1], [3]]);
    const y = tf.tensor2d([[0], [0]]);
    const values = [r.create('discrepancy', 'mean-gap'), r.create('discrepancy', { id: 'mean-gap', options: { power: 3 } })].map((d) => {
      const v = d(x, y);
      const out = v.dataSync()[0];
      v.dispose();
      return out;
    });
    expect(values).toEqual([4, 8]);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => r.parseOptions('discrepancy', 'mean-gap', { power: 0 })).toThrow(/options\.power/);
  });
});

// k(x, y) = scale for every pair: the simplest kernel whose option is visible in its Gram matrix.
const constantKernel = defineKernel({
  id: 'constant',
  description: 'k(x, y) = scale',
  schema: z.strictObject({ scale: z.number().positive().default(2) }),
  create: ({ scale }) => {
    expectTypeOf(scale).toEqualTypeOf<number>();
    return { gram: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.fill([x.shape[0], y.shape[0]], scale) as tf.Tensor2D };
  },
});

describe('defineEntry(kind) and its helpers', () => {
  it('every helper fills in its kind; a schema left out means "no options"', () => {
    const noOptions = defineDataset({ id: 'unit-gaussian', description: 'N(0, 1) in 1-D', create: () => gaussian({ mean: [0], std: 1 }) });
    expect(noOptions.kind).toBe('dataset');
    expect(noOptions.schema.safeParse({}).success).toBe(true);
    expect(noOptions.schema.safeParse({ dim: 2 }).success).toBe(false);
    expect(constantKernel.kind).toBe('kernel');
    const helpers = [defineIntegrator, defineController, defineTestFunctions, defineMap] as const;
    expect(helpers.map((h) => (h as (d: object) => { kind: string })({ id: 'x', description: '', create: () => ({}) }).kind)).toEqual([
      'integrator',
      'controller',
      'test-functions',
      'map',
    ]);
  });

  it('an entry made by a helper builds through registry.create with its schema-parsed options', () => {
    const r = createRegistry({
      plugins: [definePlugin({ name: 'user', version: '1', entries: [constantKernel, defineDataset({ id: 'unit-gaussian', description: '', create: () => gaussian({ mean: [0], std: 1 }) })] })],
    });
    const before = tf.memory().numTensors;
    const x = tf.zeros([2, 1]) as tf.Tensor2D;
    const grams = [r.create('kernel', 'constant'), r.create('kernel', { id: 'constant', options: { scale: 5 } })].map((k) => {
      const g = k.gram(x, x);
      const out = Array.from(g.dataSync());
      g.dispose();
      return out;
    });
    expect(grams).toEqual([
      [2, 2, 2, 2],
      [5, 5, 5, 5],
    ]);
    const points = r.create('dataset', 'unit-gaussian').sample(3, createRng(0));
    expect(points.shape).toEqual([3, 1]);
    tf.dispose([x, points]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => r.create('dataset', { id: 'unit-gaussian', options: { dim: 2 } }, undefined, 'data')).toThrow(/data\.options: .*dim/);
  });

  it('a malformed definition throws at once, naming the helper, the id and the field', () => {
    const bad = (definition: unknown) => () => (defineKernel as (d: unknown) => unknown)(definition);
    expect(bad(null)).toThrow(/^defineKernel: expected an object/);
    expect(bad({ id: '', description: '', create: () => ({}) })).toThrow(/^defineKernel: "id" must be a non-empty string, got ""/);
    expect(bad({ id: 'k', description: 3, create: () => ({}) })).toThrow(/^defineKernel\(k\): "description" must be a string, got number/);
    expect(bad({ id: 'k', description: '', create: 1 })).toThrow(/^defineKernel\(k\): "create" must be a function, got number/);
    expect(bad({ id: 'k', description: '', schema: {}, create: () => ({}) })).toThrow(/^defineKernel\(k\): "schema" must be a zod schema/);
    expect(() => (defineEntry('test-functions') as (d: unknown) => unknown)({ id: 'f', description: '' })).toThrow(/^defineTestFunctions\(f\): "create"/);
    expect(() => (defineObjective as (d: unknown) => unknown)({ id: 'o', description: '', create: () => ({}) })).toThrow(/^defineObjective\(o\): "load" must be a function, got undefined/);
  });
});
