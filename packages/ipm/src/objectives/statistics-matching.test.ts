import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  corePlugin,
  defineDiscrepancy,
  definePlugin,
  createRegistry,
  createRng,
  decodeModelFile,
  encodeModelFile,
  modelFromContent,
  modelToContent,
  trainRecipe,
  type Model,
} from '@pfm/core';
import { z } from 'zod';
import { ipmPlugin } from '../plugin/ipm-plugin.js';
import { FUSED_LOSS_MAX_DIM } from './statistics-matching.js';

const registry = createRegistry({ plugins: [corePlugin, ipmPlugin] });

function toFile(model: Model): string {
  return encodeModelFile(modelToContent(model, registry), { weights: 'inline' }).json;
}

function fromFile(json: string): Model {
  return modelFromContent(decodeModelFile(json, { source: 'model.json' }), registry, 'model.json');
}

type JsonSchema = { properties?: Record<string, JsonSchema>; anyOf?: JsonSchema[]; default?: unknown };

describe('statistics matching: one objective, presets that fix the loss id', () => {
  it("a preset's loss option shows the discrepancy's own fields in the JSON schema", () => {
    const options = (id: string) => registry.list('objective').find((e) => e.id === id)!.options as JsonSchema;
    const discrepancy = (id: string) => registry.list('discrepancy').find((e) => e.id === id)!.options as JsonSchema;
    for (const id of ['mmd', 'energy', 'fourier', 'characteristic', 'sinkhorn', 'sliced-wasserstein']) {
      const loss = options(id).properties!.loss!;
      expect(Object.keys(loss.properties ?? {}), id).toEqual(Object.keys(discrepancy(id).properties!));
    }
    expect(Object.keys(options('mmd').properties!.loss!.properties!)).toEqual(['kernel', 'estimator', 'tileSize', 'fused']);
    expect(options('sinkhorn').properties!.loss!.properties!.blur!.default).toBe(0.05);
    // The general objective takes any discrepancy by reference.
    expect(JSON.stringify(options('statistics-matching').properties!.loss)).toContain('"default":{"id":"energy","options":{}}');
  });

  it('a preset trains exactly as statistics-matching with its loss id, and both round-trip through files', async () => {
    const data = tf.tidy(() => tf.add(createRng(3).normal([256, 2]), 2) as tf.Tensor2D);
    const before = tf.memory().numTensors;
    const loss = { kernel: { id: 'gaussian', options: { bandwidth: [0.5, 1, 2] } }, estimator: 'biased' };
    const common = { model: { hidden: [8] }, optimizer: { lr: 1e-2 }, steps: 5, batchSize: 64, seed: 4 };
    const preset = await trainRecipe({ method: 'mmd', options: { loss }, ...common }, data, { registry });
    const general = await trainRecipe({ method: 'statistics-matching', options: { loss: { id: 'mmd', options: loss } }, ...common }, data, { registry });
    expect(general.result.lossHistory).toEqual(preset.result.lossHistory);
    expect([preset.model.method, general.model.method]).toEqual(['mmd', 'statistics-matching']);
    // The preset's file keeps the shape it always had: the discrepancy's options under `loss`.
    const file = JSON.parse(toFile(preset.model)) as { method: string; options: Record<string, unknown> };
    expect(file.method).toBe('mmd');
    expect(file.options).toEqual({
      latentDim: 2,
      noise: 'gaussian',
      generatedBatch: 0,
      loss: { kernel: { id: 'gaussian', options: { bandwidth: [0.5, 1, 2] } }, estimator: 'biased', tileSize: 1024 },
    });
    for (const model of [preset.model, general.model]) {
      const loaded = fromFile(toFile(model));
      const [a, b] = tf.tidy(() => [Array.from(model.sample(16, createRng(5)).dataSync()), Array.from(loaded.sample(16, createRng(5)).dataSync())]);
      expect(b).toEqual(a);
      loaded.dispose();
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });

  it('names the field of a bad loss', async () => {
    const data = tf.zeros([8, 2]) as tf.Tensor2D;
    const recipe = (method: string, options: unknown) => trainRecipe({ method, options, steps: 1 } as never, data, { registry });
    await expect(recipe('statistics-matching', { loss: { id: 'nope' } })).rejects.toThrow(
      /options\.loss\.id: unknown discrepancy "nope"; known discrepancy ids: characteristic, energy/,
    );
    await expect(recipe('statistics-matching', { loss: { id: 'sinkhorn', options: { blur: -1 } } })).rejects.toThrow(/options\.loss\.options\.blur/);
    await expect(recipe('sinkhorn', { loss: { blur: -1 } })).rejects.toThrow(/options\.loss\.blur/);
    data.dispose();
  });

  it('trains wide data (d > 64) with the composed loss unless the recipe sets fused; low dimensions keep the default', async () => {
    const seen: unknown[] = [];
    const probe = defineDiscrepancy({
      id: 'fused-probe',
      description: 'Records the fused option it is built with',
      schema: z.strictObject({ fused: z.boolean().optional() }),
      create: (options) => {
        seen.push(options.fused);
        return (x: tf.Tensor2D, y: tf.Tensor2D) => tf.tidy(() => tf.sum(tf.square(tf.sub(tf.mean(x, 0), tf.mean(y, 0))))) as tf.Scalar;
      },
    });
    const probing = createRegistry({ plugins: [corePlugin, ipmPlugin, definePlugin({ name: 'probe', version: '0.0.0', entries: [probe] })] });
    for (const [dim, loss] of [[FUSED_LOSS_MAX_DIM + 1, 'fused-probe'], [FUSED_LOSS_MAX_DIM, 'fused-probe'], [FUSED_LOSS_MAX_DIM + 1, { id: 'fused-probe', options: { fused: true } }]] as const) {
      const data = tf.randomUniform([8, dim]) as tf.Tensor2D;
      const { model } = await trainRecipe({ method: 'statistics-matching', options: { loss }, model: { hidden: [4] }, steps: 1, batchSize: 4 }, data, { registry: probing });
      model.dispose();
      data.dispose();
    }
    expect(seen).toEqual([false, undefined, true]);
  });
});
