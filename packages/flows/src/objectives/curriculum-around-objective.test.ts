// The curriculum around a one-step objective: with one level it is the inner objective bit for bit;
// each level's players see the data pushed along the VP path (closed-form moments on Gaussian data);
// the critic is built once and carried across levels; identity pre-training; save/load; errors;
// no tensor leak.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  corePlugin,
  createRegistry,
  createRng,
  decodeModelFile,
  defineObjective,
  definePlugin,
  encodeModelFile,
  gaussian,
  generatorModel,
  mlp,
  modelFromContent,
  modelToContent,
  train,
  trainRecipe,
  type Model,
  type PushforwardMap,
  type RecipeInput,
} from '@pfm/core';
import { ipmPlugin } from '@pfm/ipm';
import { flowsPlugin } from '../plugin/flows-plugin.js';
import { vpSchedule } from '../paths/vp-schedule.js';
import { curriculumLevels, curriculumSchema } from './curriculum.js';
import { noisedBatch } from './noised-batch.js';

/** The batches the probe objective's generator saw: [step, mean of column 0, variance of column 0]. */
const probeLog: [number, number, number][] = [];

/** A one-step objective whose generator loss is a plain moment match, logging the batch it sees. */
const probeObjective = defineObjective({
  id: 'probe',
  description: 'test: logs its batches',
  schema: z.strictObject({ latentDim: z.number().default(0), noise: z.enum(['gaussian']).default('gaussian') }),
  create(options, ctx) {
    const generator = mlp({ inputDim: ctx.dim, outputDim: ctx.dim, hidden: [4] }, ctx.rng.fold(1));
    return {
      players: [
        {
          name: 'generator',
          variables: generator.variables,
          loss: ({ batch, step, rng }) => {
            const { mean, variance } = tf.moments(tf.slice(batch, [0, 0], [-1, 1]));
            probeLog.push([step, mean.dataSync()[0]!, variance.dataSync()[0]!]);
            const fake = generator.apply(rng.normal(batch.shape) as tf.Tensor2D);
            return tf.sum(tf.square(tf.sub(tf.mean(fake, 0), tf.mean(batch, 0)))) as tf.Scalar;
          },
        },
      ],
      model: generatorModel({ method: 'probe', options: { latentDim: ctx.dim, noise: 'gaussian' }, generator }),
    };
  },
  load: (parts) => generatorModel({ method: 'probe', options: { latentDim: parts.dim, noise: 'gaussian' }, generator: parts.maps.generator as PushforwardMap }),
});

const registry = createRegistry({ plugins: [corePlugin, ipmPlugin, flowsPlugin, definePlugin({ name: 'probe', version: '0.0.0', entries: [probeObjective] })] });
const tiny = { hidden: [16, 16], activation: 'silu' };

function values(model: Model, role: string): Float32Array[] {
  return (model.maps[role] as PushforwardMap).variables.map((v) => v.dataSync() as Float32Array);
}

async function trained(method: string, options: Record<string, unknown>, data: tf.Tensor2D, steps = 12): Promise<Model> {
  const recipe: RecipeInput = { method, options, model: tiny, optimizer: { name: 'adam', lr: 1e-2 }, steps, batchSize: 64, seed: 3 };
  const { model, result } = await trainRecipe(recipe, data, { registry });
  expect(result.status).toBe('completed');
  return model;
}

describe('curriculum around an objective', () => {
  it('with one level it is the inner objective bit for bit (gan: generator and critic; energy)', async () => {
    const data = gaussian({ mean: [1, -1], std: [0.5, 1] }).sample(256, createRng(1));
    const before = tf.memory().numTensors;
    for (const inner of ['gan', 'energy']) {
      const plain = await trained(inner, {}, data);
      const wrapped = await trained('curriculum', { objective: inner, levels: 1 }, data);
      expect(wrapped.method).toBe('curriculum');
      for (const role of Object.keys(plain.maps)) expect(values(wrapped, role)).toEqual(values(plain, role));
      const a = plain.sample(50, createRng(9));
      const b = wrapped.sample(50, createRng(9));
      expect(b.dataSync()).toEqual(a.dataSync());
      tf.dispose([a, b]);
      plain.dispose();
      wrapped.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });

  it('noisedBatch maps N(m, v) to N(α m, α² v + σ²) and leaves the batch itself at s = 0', () => {
    const schedule = vpSchedule();
    const before = tf.memory().numTensors;
    const x = gaussian({ mean: [2], std: [0.5] }).sample(40_000, createRng(4));
    expect(noisedBatch(x, 0, schedule, createRng(5))).toBe(x);
    for (const s of [0.1, 0.3, 0.7]) {
      const [mean, variance] = tf.tidy(() => {
        const { mean: m, variance: v } = tf.moments(noisedBatch(x, s, schedule, createRng(5)));
        return [m.dataSync()[0]!, v.dataSync()[0]!];
      });
      const a = schedule.alpha(s);
      const v = a * a * 0.25 + schedule.sigma(s) ** 2;
      // 40 000 draws: the sample mean's standard error is √(v/40000) ≤ 0.005, the variance's ≤ 1%·v; 4 standard errors.
      expect(Math.abs(mean - 2 * a)).toBeLessThan(4 * Math.sqrt(v / 40_000));
      expect(Math.abs(variance / v - 1)).toBeLessThan(4 * Math.sqrt(2 / 40_000));
    }
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("each level's players see the data at that level's diffusion time (levels, stepsPerLevel)", async () => {
    const data = gaussian({ mean: [2, 0], std: [0.5, 1] }).sample(4096, createRng(6));
    const before = tf.memory().numTensors;
    const options = { objective: 'probe', levels: 3, spacing: 'time' as const, start: 0.6, stepsPerLevel: [3, 2, 4] };
    const levels = curriculumLevels(curriculumSchema.parse(options));
    probeLog.length = 0;
    const { model, result } = await trainRecipe({ method: 'curriculum', options, model: tiny, steps: 9, batchSize: 2048, seed: 1 }, data, { registry });
    expect(result.status).toBe('completed');
    expect(model.extra!()).toMatchObject({ levels, levelStarts: [0, 3, 5] });
    const schedule = vpSchedule();
    const levelOf = [0, 0, 0, 1, 1, 2, 2, 2, 2];
    expect(probeLog.map(([step]) => step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const [step, mean, variance] of probeLog) {
      const s = levels[levelOf[step]!]!;
      const a = schedule.alpha(s);
      const v = a * a * 0.25 + schedule.sigma(s) ** 2;
      // 2048 rows: standard errors √(v/2048) (mean) and √(2/2048)·v (variance); 4 of them.
      expect(Math.abs(mean - 2 * a)).toBeLessThan(4 * Math.sqrt(v / 2048));
      expect(Math.abs(variance / v - 1)).toBeLessThan(4 * Math.sqrt(2 / 2048));
    }
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });

  it("the critic is built once: its weights move by one optimizer step across a level change, like within a level", async () => {
    const data = gaussian({ mean: [1, 1], std: [0.3, 0.3] }).sample(512, createRng(2));
    const before = tf.memory().numTensors;
    const ctx = { dim: 2, registry, rng: createRng(7), network: tiny, data, steps: 10 };
    const run = registry.create('objective', { id: 'curriculum', options: { objective: { id: 'wgan-gp', options: { criticSteps: 1 } }, levels: 2 } }, ctx);
    const critic = run.model.maps.critic as PushforwardMap;
    expect(run.players[1]!.variables).toEqual(critic.variables);
    const snapshots: Float32Array[] = [Float32Array.from(critic.variables.flatMap((v) => Array.from(v.dataSync())))];
    await train(run, data, {
      steps: 10,
      batchSize: 64,
      seed: 1,
      optimizer: { name: 'adam', lr: 1e-3 },
      progressEvery: 1,
      onProgress: () => snapshots.push(Float32Array.from(critic.variables.flatMap((v) => Array.from(v.dataSync())))),
    });
    const moves = snapshots.slice(1).map((w, i) => Math.hypot(...w.map((x, k) => x - snapshots[i]![k]!)));
    // Adam (β₁ = 0 for wgan-gp's critic) moves each weight by about lr per step, a little more when the
    // gradient grows (measured ≤ 1.12·lr·√n here); a rebuilt critic would jump by about the norm of an initialisation.
    const bound = 3e-3 * Math.sqrt(snapshots[0]!.length);
    expect(bound).toBeLessThan(0.1 * Math.hypot(...snapshots[0]!));
    for (const m of moves) expect(m).toBeLessThan(bound);
    expect(moves[5]).toBeGreaterThan(0);
    run.model.dispose();
    run.dispose?.();
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });

  it('init "identity" fits φ(z) ≈ z in its first steps; save/load samples identically', async () => {
    const data = gaussian({ mean: [3, -3], std: [0.2, 0.2] }).sample(256, createRng(8));
    const before = tf.memory().numTensors;
    const model = await trained('curriculum', { objective: 'energy', levels: 1, init: 'identity', identitySteps: 80 }, data, 81);
    const z = createRng(11).normal([500, 2]) as tf.Tensor2D;
    const generator = model.maps.generator as PushforwardMap;
    const error = tf.tidy(() => tf.mean(tf.sum(tf.square(tf.sub(generator.apply(z), z)), 1)).dataSync()[0]!);
    // 80 Adam steps at lr 1e-2 on a 16×16 MLP: measured 0.013 (cpu); a random network is at ≈ 2, the data at ≈ 20.
    expect(error).toBeLessThan(0.05);
    const loaded = modelFromContent(decodeModelFile(encodeModelFile(modelToContent(model, registry)).json), registry);
    expect(loaded.method).toBe('curriculum');
    expect((loaded.options.objective as { id: string }).id).toBe('energy');
    const a = model.sample(40, createRng(12));
    const b = loaded.sample(40, createRng(12));
    expect(b.dataSync()).toEqual(a.dataSync());
    tf.dispose([a, b, z]);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });

  it('a GAN curriculum saves and loads with its critic', async () => {
    const data = gaussian({ mean: [0, 0], std: [1, 1] }).sample(128, createRng(3));
    const before = tf.memory().numTensors;
    const model = await trained('curriculum', { objective: { id: 'wgan-gp', options: { penaltySide: 'one-sided' } }, levels: 3 }, data, 6);
    const loaded = modelFromContent(decodeModelFile(encodeModelFile(modelToContent(model, registry)).json), registry);
    expect(Object.keys(loaded.maps).sort()).toEqual(['critic', 'generator']);
    expect(values(loaded, 'critic')).toEqual(values(model, 'critic'));
    expect(loaded.options.objective).toMatchObject({ id: 'wgan-gp', options: { penaltySide: 'one-sided' } });
    expect(loaded.extra!().levels).toEqual(model.extra!().levels);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });

  it('refuses what it cannot do with one error naming the field', async () => {
    const data = gaussian({ mean: [0, 0], std: [1, 1] }).sample(64, createRng(3));
    const before = tf.memory().numTensors;
    const attempt = (options: Record<string, unknown>, steps = 8) =>
      trainRecipe({ method: 'curriculum', options, model: tiny, steps, batchSize: 32, seed: 0 }, data, { registry });
    await expect(attempt({ objective: 'flow-matching' })).rejects.toThrow(/options\.objective "flow-matching" is not a one-step generator objective/);
    await expect(attempt({ objective: 'gan', loss: 'mmd' })).rejects.toThrow(/options\.loss "mmd" and options\.objective "gan" are exclusive/);
    await expect(attempt({ objective: 'gan', levels: 2, stepsPerLevel: [3, 3] })).rejects.toThrow(/"stepsPerLevel" \[3, 3\] must have one entry per level \(2\) summing to .*8.*summing to 6/);
    await expect(attempt({ levels: 2, init: 'identity' })).rejects.toThrow(/options\.init is "identity", but it applies to a curriculum around an objective/);
    await expect(attempt({ objective: 'energy', identitySteps: 5 })).rejects.toThrow(/options\.identitySteps is 5 but options\.init is "random"/);
    await expect(attempt({ objective: 'curriculum' })).rejects.toThrow(/not another curriculum/);
    await expect(attempt({ objective: { id: 'energy', options: { latentDim: 3 } }, levels: 1, init: 'identity', identitySteps: 2 })).rejects.toThrow(/init "identity" needs a generator from N\(0, I\) in the data's dimension 2/);
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });
});
