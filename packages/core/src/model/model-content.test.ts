import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRegistry, OptionsError } from '../registry/registry.js';
import { definePlugin } from '../registry/plugin.js';
import { corePlugin } from '../maps/core-plugin.js';
import { createRng } from '../rng/rng.js';
import { createNetwork, generatorModel, generatorOptionsShape, sampleNoise, withLatentDim } from './generator-model.js';
import { modelFromContent, modelToContent } from './model-content.js';
import { loadModel, saveModel } from './save-model.js';
import { decodeModelFile } from '../io/decode-model-file.js';
import { encodeModelFile } from '../io/encode-model-file.js';
import { parseRecipe, trainRecipe } from '../train/recipe.js';
import type { PushforwardMap } from '../contracts/map.js';
import type { ObjectiveEntry } from '../registry/entries.js';

// A minimal objective: a one-step generator trained to match the data's mean and second moment.
const schema = z.object({ ...generatorOptionsShape, weight: z.number().positive().default(1) }).strict();
const momentMatching: ObjectiveEntry<z.output<typeof schema>> = {
  kind: 'objective',
  id: 'moment-matching',
  description: 'match the first two moments',
  schema,
  create(options, ctx) {
    const opts = withLatentDim(options, ctx.dim);
    const generator = createNetwork(ctx.network, { inputDim: opts.latentDim, outputDim: ctx.dim }, ctx.rng, { hidden: [16] });
    return {
      players: [
        {
          name: 'generator',
          variables: generator.variables,
          loss: ({ batch, rng }) =>
            tf.tidy(() => {
              const fake = generator.apply(sampleNoise(opts.noise, 256, opts.latentDim, rng));
              const m1 = tf.sum(tf.square(tf.sub(tf.mean(fake, 0), tf.mean(batch, 0))));
              const m2 = tf.sum(tf.square(tf.sub(tf.mean(tf.square(fake), 0), tf.mean(tf.square(batch), 0))));
              return tf.mul(tf.add(m1, m2), opts.weight) as tf.Scalar;
            }),
        },
      ],
      model: generatorModel({ method: 'moment-matching', options: opts, generator }),
    };
  },
  load(parts) {
    return generatorModel({
      method: 'moment-matching',
      options: withLatentDim(parts.options, parts.dim),
      generator: parts.maps.generator as PushforwardMap,
    });
  },
};
const registry = createRegistry({ plugins: [corePlugin, definePlugin({ name: 'test-objectives', version: '1.0.0', entries: [momentMatching] })] });

function data(): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.mul(createRng(3).normal([1024, 2]), tf.tensor1d([0.5, 2])), tf.tensor1d([1, -1])) as tf.Tensor2D);
}

describe('trainRecipe and model files', () => {
  it('trains from a recipe, and the model survives a save/load round trip bit for bit', async () => {
    const x = data();
    const { model, result, recipe } = await trainRecipe(
      { method: 'moment-matching', model: { hidden: [16], activation: 'tanh' }, optimizer: { lr: 0.02 }, steps: 150, batchSize: 256, seed: 4 },
      x,
      { registry },
    );
    expect(recipe.options).toEqual({ latentDim: 0, noise: 'gaussian', weight: 1 });
    expect(result.finalLoss).toBeLessThan(result.lossHistory[0]! / 5);
    const mean = tf.tidy(() => Array.from(tf.mean(model.sample(4000, createRng(9)), 0).dataSync()));
    expect(mean[0]!).toBeCloseTo(1, 0);
    expect(mean[1]!).toBeCloseTo(-1, 0);

    const content = modelToContent(model, registry, { steps: result.steps });
    expect(content.plugins.map((p) => p.name)).toEqual(['@pfm/core', 'test-objectives']);
    const { json } = encodeModelFile(content, { weights: 'inline' });
    const loaded = modelFromContent(decodeModelFile(json, { source: 'm.json' }), registry, 'm.json');
    const [a, b] = tf.tidy(() => [Array.from(model.sample(50, createRng(1)).dataSync()), Array.from(loaded.sample(50, createRng(1)).dataSync())]);
    expect(b).toEqual(a);

    const dir = await mkdtemp(join(tmpdir(), 'pfm-model-'));
    try {
      await saveModel(join(dir, 'model.json'), model, registry, { weights: 'binary' });
      const fromDisk = await loadModel(join(dir, 'model.json'), registry);
      const c = tf.tidy(() => Array.from(fromDisk.sample(50, createRng(1)).dataSync()));
      expect(c).toEqual(a);
      fromDisk.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    loaded.dispose();
    model.dispose();
    x.dispose();
  });

  it('records an eventShape given to saveModel or carried by the model, and the loaded model exposes it', async () => {
    const before = tf.memory().numTensors;
    const generator = createNetwork({ hidden: [4] }, { inputDim: 6, outputDim: 6 }, createRng(0));
    const model = generatorModel({ method: 'moment-matching', options: { latentDim: 6, noise: 'gaussian', weight: 1 }, generator });
    const dir = await mkdtemp(join(tmpdir(), 'pfm-model-'));
    try {
      const path = join(dir, 'image.json');
      await saveModel(path, model, registry, { eventShape: [2, 3, 1] });
      const loaded = await loadModel(path, registry);
      expect(loaded.eventShape).toEqual([2, 3, 1]);
      expect(loaded.dim).toBe(6);
      // Saved again, the loaded model keeps its shape with no option.
      await saveModel(path, loaded, registry);
      const again = await loadModel(path, registry);
      expect(again.eventShape).toEqual([2, 3, 1]);
      const [a, b] = tf.tidy(() => [Array.from(loaded.sample(3, createRng(2)).dataSync()), Array.from(again.sample(3, createRng(2)).dataSync())]);
      expect(b).toEqual(a);
      again.dispose();
      loaded.dispose();
      // No shape anywhere: none in the file, none on the loaded model.
      await saveModel(path, model, registry);
      const vector = await loadModel(path, registry);
      expect(vector.eventShape).toBeUndefined();
      vector.dispose();
      await expect(saveModel(path, model, registry, { eventShape: [28, 28, 1] })).rejects.toThrow(
        'eventShape: shape [28,28,1] holds 784 values per sample, but dim is 6',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a file whose method, options or maps do not fit the registry', () => {
    const x = data();
    const generator = createNetwork({ hidden: [4] }, { inputDim: 2, outputDim: 2 }, createRng(0));
    const model = generatorModel({ method: 'moment-matching', options: { latentDim: 2, noise: 'gaussian', weight: 1 }, generator });
    const content = modelToContent(model, registry);
    expect(() => modelFromContent({ ...content, method: 'flow-matching' }, registry, 'm.json')).toThrow(
      'unknown objective "flow-matching"; known objective ids: moment-matching',
    );
    expect(() => modelFromContent({ ...content, options: { weight: -1 } }, registry, 'm.json')).toThrow(/m\.json: options\.weight/);
    const badMap = { ...content, maps: { generator: { ...content.maps.generator!, type: 'exec' } } };
    expect(() => modelFromContent(badMap, registry, 'm.json')).toThrow(/unknown map "exec"/);
    const before = tf.memory().numTensors;
    const short = { ...content, maps: { generator: { ...content.maps.generator!, weights: content.maps.generator!.weights.slice(1) } } };
    expect(() => modelFromContent(short, registry, 'm.json')).toThrow(/asks for 22 parameters, but the file's weights hold 14 values/);
    const weights = content.maps.generator!.weights;
    const extra = { ...content, maps: { generator: { ...content.maps.generator!, weights: [...weights, weights[0]!] } } };
    expect(() => modelFromContent(extra, registry, 'm.json')).toThrow(/has 4 weights, the file has 5/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    x.dispose();
  });

  it('a recipe with a bad field is rejected with the field named', () => {
    expect(() => parseRecipe({ method: 'moment-matching', steps: -3 }, registry)).toThrow(OptionsError);
    expect(() => parseRecipe({ method: 'moment-matching', steps: -3 }, registry)).toThrow(/config\.steps/);
    expect(() => parseRecipe({ method: 'moment-matching', options: { weight: 'x' } }, registry)).toThrow(/config\.options\.weight/);
    expect(() => parseRecipe({ method: 'moment-matching', optimizer: { name: 'rmsprop' } }, registry)).toThrow(/config\.optimizer\.name/);
    expect(() => parseRecipe({ method: 'nope' }, registry)).toThrow(/unknown objective "nope"/);
    expect(() => parseRecipe({ method: 'moment-matching', epochs: 3 }, registry)).toThrow(/epochs/);
    expect(() => createNetwork({ hidden: [0] }, { inputDim: 2, outputDim: 2 }, createRng(0))).toThrow(/model\.hidden\.0/);
  });
});
