import { parseRecipe } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { benchRegistry } from '../registry/bench-registry.js';
import { MNIST_QUICK } from './mnist-args.js';
import { MNIST_METHODS, mnistRecipe } from './mnist-recipes.js';

const registry = benchRegistry();
const IMAGES = { dim: 784, eventShape: [28, 28, 1] };

describe('the MNIST track trains the image defaults of pfm train', () => {
  it.each(MNIST_METHODS.filter((m) => m !== 'distill'))('%s: batch, optimizer, EMA and options are what the objective suggests on images', (method) => {
    const settings = { ...MNIST_QUICK, steps: 10, batchSize: 64 };
    const written = mnistRecipe(method, settings);
    const bench = parseRecipe(written, registry);
    // What a user gets from `pfm train --data mnist --method ID` with the same steps and the bench's
    // method-specific options (flow matching's sampler), nothing else.
    const options = method === 'flow-matching' ? { options: written.options } : {};
    const cli = parseRecipe({ method, steps: 10, ...options }, registry, 'config', IMAGES);
    expect(bench).toEqual(cli);
  });

  it('distill: the same batch, optimizer and EMA as the CLI (its pairs and teacher come from the bench)', () => {
    const written = mnistRecipe('distill', { ...MNIST_QUICK, steps: 10, batchSize: 64 });
    const cli = parseRecipe({ method: 'distill', steps: 10, options: written.options }, registry, 'config', IMAGES);
    expect(parseRecipe(written, registry)).toEqual(cli);
  });

  it('vectors keep the recipe schema defaults', () => {
    const plain = parseRecipe({ method: 'gan' }, registry, 'config', { dim: 2 });
    expect(plain.batchSize).toBe(256);
    expect(plain.ema).toBeUndefined();
    expect(plain.optimizer).toMatchObject({ lr: 1e-3 });
  });
});
