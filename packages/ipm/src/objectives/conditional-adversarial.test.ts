import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  corePlugin,
  createRegistry,
  createRng,
  createTrainingRun,
  parseRecipe,
  train,
  trainRecipe,
  type ConditionBatch,
  type PushforwardMap,
} from '@pfm/core';
import { onOneBackend, EIGHT_GAUSSIANS_CLASSES, labelledEightGaussians, trainOnLabelledEightGaussians } from '@pfm/core/testing';
import { ipmPlugin } from '../plugin/ipm-plugin.js';

// A whole training run checked by a law on its samples: one backend (see onOneBackend).
const trainingRun = it.runIf(onOneBackend('wasm'));

const registry = createRegistry({ plugins: [corePlugin, ipmPlugin] });

describe('conditional GAN and WGAN-GP on 8gaussians with mode labels (projection critic)', () => {
  // Budgets measured on cpu with these seeds, batches of 64 (fraction of 800 samples nearest their
  // own centre): gan at lr 5e-3: 1.000 after 200 steps (at lr 3e-3: 0.195 after 120, 0.750 after
  // 250, 1.000 after 300: the adversarial game locks each class onto its mode late and abruptly);
  // wgan-gp with the one-sided penalty and 5 critic steps: 0.875 after 60 steps, 0.988 after 100,
  // 1.000 after 150 (the two-sided penalty at 80 steps: 0.628). Both reach 1.000 on wasm as well.
  // A label-blind generator scores about 1/8; the bound 0.95 leaves a margin for backend round-off.
  const cases = [
    { method: 'gan', options: { criticHidden: [32, 32], criticLr: 5e-3 }, steps: 200, lr: 5e-3 },
    { method: 'wgan-gp', options: { criticHidden: [32, 32], criticLr: 1e-3, penaltySide: 'one-sided' }, steps: 150, lr: 3e-3 },
  ] as const;
  for (const { method, options, steps, lr } of cases) {
    trainingRun(`${method}: ≥ 95% of the samples of class c land nearest centre c; the file keeps both conditional networks`, async () => {
      const before = tf.memory().numTensors;
      const { model, fraction, reloaded, samples } = await trainOnLabelledEightGaussians(
        { method, options, model: { hidden: [32, 32] }, steps, batchSize: 64, seed: 0, optimizer: { lr } },
        registry,
      );
      expect(model.condition).toEqual(EIGHT_GAUSSIANS_CLASSES);
      expect(model.maps.critic!.toSpec().type).toBe('projection-critic');
      expect(fraction).toBeGreaterThanOrEqual(0.95);
      expect(() => model.sample(3, createRng(0))).toThrow(new RegExp(`${method}\\.sample: this model is conditional; give "condition"`));
      expect(reloaded.condition).toEqual(EIGHT_GAUSSIANS_CLASSES);
      expect(reloaded.samples).toEqual(samples);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }, 600_000);
  }

  it('wgan-gp: the fake rows get the batch labels, and the penalty differentiates f(x̂, c) at interpolates of one class', async () => {
    const before = tf.memory().numTensors;
    const { x, labels } = labelledEightGaussians(32, 2);
    const recipe = parseRecipe({ method: 'wgan-gp', options: { criticHidden: [8, 8], criticSteps: 1 }, model: { hidden: [8] }, steps: 1, batchSize: 32 }, registry);
    const run = createTrainingRun(recipe, x, registry, { condition: { spec: { kind: 'class', classes: 8 }, rows: labels } });
    const generator = run.model.maps.generator as PushforwardMap;
    const critic = run.model.maps.critic as PushforwardMap;
    const calls: { map: string; rows: number[][]; labels: number[] }[] = [];
    for (const [name, map] of [['generator', generator], ['critic', critic]] as const) {
      const apply = map.apply.bind(map);
      (map as { apply: PushforwardMap['apply'] }).apply = (input: tf.Tensor2D, condition?: ConditionBatch) => {
        calls.push({ map: name, rows: input.arraySync(), labels: Array.from(condition!.values.dataSync()) });
        return apply(input, condition);
      };
    }
    await train(run, x, { steps: 1, batchSize: 32, seed: 0, condition: labels });
    // Each player's loss draws fake rows for its own data batch: the generator call and the critic
    // calls after it (generator step: f(fake); critic step: penalty, f(real), f(fake)) all carry that
    // batch's labels, row by row.
    const segments: (typeof calls)[] = [];
    for (const call of calls) {
      if (call.map === 'generator') segments.push([call]);
      else segments.at(-1)!.push(call);
    }
    expect(segments.map((segment) => segment.length).sort()).toEqual([2, 4]);
    for (const segment of segments) {
      expect(segment[0]!.labels).toHaveLength(32);
      for (const call of segment) expect(call.labels).toEqual(segment[0]!.labels);
    }
    // In the critic step the penalty's call is on x̂_i = ε_i x_i + (1 − ε_i) φ(z_i | c_i): each
    // interpolate lies on the segment between a data point and a fake row of the same class c_i.
    const [, penalty, real, fake] = segments.find((segment) => segment.length === 4)!;
    penalty!.rows.forEach((p, i) => {
      const [a, b] = [real!.rows[i]!, fake!.rows[i]!];
      const t = ((p[0]! - b[0]!) * (a[0]! - b[0]!) + (p[1]! - b[1]!) * (a[1]! - b[1]!)) / ((a[0]! - b[0]!) ** 2 + (a[1]! - b[1]!) ** 2);
      expect(t).toBeGreaterThanOrEqual(-1e-5);
      expect(t).toBeLessThanOrEqual(1 + 1e-5);
      expect(Math.hypot(b[0]! + t * (a[0]! - b[0]!) - p[0]!, b[1]! + t * (a[1]! - b[1]!) - p[1]!)).toBeLessThan(1e-4);
    });
    tf.dispose([x, labels]);
    run.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gan on context vectors: conditional networks; a conditional critic needs criticHidden', async () => {
    const before = tf.memory().numTensors;
    const { x, labels } = labelledEightGaussians(64, 3);
    const context = tf.tidy(() => tf.cast(tf.oneHot(labels, 8), 'float32')) as tf.Tensor2D;
    const spec = { kind: 'context', dim: 8 } as const;
    const { model } = await trainRecipe({ method: 'gan', options: { criticHidden: [8] }, model: { hidden: [8], condition: { join: 'film' } }, steps: 2, batchSize: 16 }, x, {
      registry,
      condition: { spec, rows: context },
    });
    expect(model.condition).toEqual(spec);
    expect(model.maps.generator!.toSpec().options).toMatchObject({ condition: { contextDim: 8, join: 'film' } });
    const y = model.sample(3, createRng(0), { condition: [0, 1, 0, 0, 0, 0, 0, 0] });
    expect(y.shape).toEqual([3, 2]);
    await expect(
      trainRecipe({ method: 'wgan-gp', options: { criticHidden: [] }, steps: 1, batchSize: 16 }, x, { registry, condition: { spec, rows: context } }),
    ).rejects.toThrow('wgan-gp: options.criticHidden is []; a conditional critic needs at least one width');
    tf.dispose([x, labels, context, y]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
