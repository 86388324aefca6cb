import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Model } from '../contracts/model.js';
import { defineObjective } from '../registry/define-objective.js';
import { definePlugin } from '../registry/plugin.js';
import { createRegistry } from '../registry/registry.js';
import { parseRecipe, trainRecipe } from './recipe.js';
import { withRecipeDefaults, type RecipeDataInfo } from './recipe-defaults.js';

const isImage = (data: RecipeDataInfo) => data.eventShape?.length === 3;

// min_w c·w; on images it suggests its own batch, optimizer, EMA and option.
const shift = defineObjective({
  id: 'shift',
  description: 'min_w c·w with c = (1, 1)',
  schema: z.strictObject({ scale: z.number().default(1), keep: z.boolean().default(false) }),
  recipeDefaults: (data) =>
    isImage(data) ? { batchSize: 4, optimizer: { name: 'adam', lr: 2e-4, beta1: 0.5 }, ema: { decay: 0.9 }, options: { scale: 3 } } : undefined,
  create: () => {
    const w = tf.tidy(() => tf.variable(tf.zeros([2]), true));
    return {
      players: [{ name: 'w', variables: [w], loss: () => tf.sum(w) as tf.Scalar }],
      model: { dim: 2, sample: () => tf.zeros([0, 2]), dispose: () => w.dispose() } as unknown as Model,
    };
  },
  load: () => {
    throw new Error('not needed');
  },
});
const registry = createRegistry({ plugins: [definePlugin({ name: 'defaults-test', version: '1.0.0', entries: [shift] })] });
const image = { dim: 2, eventShape: [1, 2, 1] };

describe('recipe defaults suggested by the objective for the data', () => {
  it('apply only when parseRecipe is told data for which the objective has some', () => {
    const plain = parseRecipe({ method: 'shift' }, registry);
    expect(plain.batchSize).toBe(256);
    expect(plain.ema).toBeUndefined();
    expect(parseRecipe({ method: 'shift' }, registry, 'config', { dim: 2 })).toEqual(plain);
    const onImages = parseRecipe({ method: 'shift' }, registry, 'config', image);
    expect(onImages.batchSize).toBe(4);
    expect(onImages.steps).toBe(2000);
    expect(onImages.options).toEqual({ scale: 3, keep: false });
    expect(onImages.ema).toEqual({ decay: 0.9, warmupSteps: 0 });
    expect(onImages.optimizer).toMatchObject({ name: 'adam', lr: 2e-4, beta1: 0.5 });
  });

  it('never override what the recipe gives: fields win, objects merge key by key, another optimizer is kept whole', () => {
    const r = parseRecipe(
      { method: 'shift', batchSize: 8, options: { keep: true }, optimizer: { lr: 1e-3 }, ema: { warmupSteps: 5 } },
      registry,
      'config',
      image,
    );
    expect(r.batchSize).toBe(8);
    expect(r.options).toEqual({ scale: 3, keep: true });
    expect(r.optimizer).toMatchObject({ name: 'adam', lr: 1e-3, beta1: 0.5 });
    expect(r.ema).toEqual({ decay: 0.9, warmupSteps: 5 });
    const sgd = parseRecipe({ method: 'shift', optimizer: { name: 'sgd', lr: 0.1 } }, registry, 'config', image);
    expect(sgd.optimizer).toMatchObject({ name: 'sgd', lr: 0.1 });
    expect(sgd.optimizer).not.toMatchObject({ beta1: 0.5 });
  });

  it('leave malformed recipes and unknown methods to the schema, which names the field', () => {
    expect(withRecipeDefaults('not a recipe', { batchSize: 4 })).toBe('not a recipe');
    expect(withRecipeDefaults({ method: 'x', options: 7 }, { options: { a: 1 } })).toEqual({ method: 'x', options: 7 });
    expect(() => parseRecipe({ method: 'shift', options: 7 }, registry, 'config', image)).toThrow(/config\.options/);
    expect(() => parseRecipe({ method: 'nope' }, registry, 'config', image)).toThrow(/shift/);
  });

  it('trainRecipe applies them from the data it is given', async () => {
    const data = tf.zeros([6, 2]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const { model, recipe } = await trainRecipe({ method: 'shift', steps: 2 }, data, { registry, eventShape: [1, 2, 1] });
    expect(recipe.batchSize).toBe(4);
    expect(recipe.ema?.decay).toBe(0.9);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });
});
