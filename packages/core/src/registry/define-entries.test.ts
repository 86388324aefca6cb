import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineDiscrepancy } from './define-discrepancy.js';
import { defineObjective } from './define-objective.js';
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
