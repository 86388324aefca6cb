// EMA of the weights: the average of a constant sequence is that constant, a fixed gradient
// sequence gives the closed form, a resumed run (through the checkpoint file) is bitwise the
// uninterrupted one, a rollback rewinds the average with the weights, and nothing leaks.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Model } from '../contracts/model.js';
import type { TrainingRun } from '../contracts/objective.js';
import { createRng } from '../rng/rng.js';
import { mlp } from '../maps/mlp.js';
import { createRegistry, OptionsError } from '../registry/registry.js';
import { definePlugin } from '../registry/plugin.js';
import { defineObjective } from '../registry/define-objective.js';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint-file.js';
import { disposeCheckpoint, train, type Checkpoint, type RollbackEvent } from './trainer.js';
import { emaDecay } from './ema-decay.js';
import { emaSchema, type EmaOptions } from './ema.js';
import { EmaWeights } from './ema-weights.js';
import { parseRecipe, trainRecipe } from './recipe.js';

/** min_w c·w: the gradient is c at every step, so SGD gives w_s = w_0 − s·η·c exactly (η, c powers of two). */
function linearRun(init: number[], c: number[]): TrainingRun {
  const w = tf.tidy(() => tf.variable(tf.tensor1d(init), true));
  const ct = tf.tensor1d(c);
  return {
    players: [{ name: 'w', variables: [w], loss: () => tf.sum(tf.mul(w, ct)) as tf.Scalar }],
    model: { dim: init.length } as unknown as Model,
    dispose: () => tf.dispose([w, ct]),
  };
}

/** min_w w² by SGD with η = 1.5: w is multiplied by −2 each step (see trainer.test.ts). */
function doublingRun(): TrainingRun {
  const w = tf.tidy(() => tf.variable(tf.tensor1d([1]), true));
  return {
    players: [{ name: 'w', variables: [w], loss: () => tf.sum(tf.square(w)) as tf.Scalar }],
    model: { dim: 1 } as unknown as Model,
    dispose: () => w.dispose(),
  };
}

function mlpRun(seed = 0): TrainingRun {
  const net = mlp({ inputDim: 2, outputDim: 2, hidden: [8], activation: 'tanh' }, createRng(seed));
  return {
    players: [
      {
        name: 'generator',
        variables: net.variables,
        loss: ({ batch, rng }) => tf.tidy(() => tf.mean(tf.square(tf.sub(net.apply(rng.normal(batch.shape) as tf.Tensor2D), batch))) as tf.Scalar),
      },
    ],
    model: { dim: 2 } as unknown as Model,
    dispose: () => net.dispose(),
  };
}

function dataset(): tf.Tensor2D {
  return tf.tidy(() => createRng(5).normal([256, 2]).mul(0.5).add(tf.tensor1d([3, -1])) as tf.Tensor2D);
}

/** θ̄ after the steps of `thetas` (θ after step s = thetas[s]) from θ̄ = `start`, in float64, by the documented rule. */
function averageOf(start: number, thetas: number[], config: EmaOptions): number {
  const parsed = emaSchema.parse(config);
  let avg = start;
  thetas.forEach((theta, s) => {
    const d = emaDecay(parsed, s);
    avg = d * avg + (1 - d) * theta;
  });
  return avg;
}

const values = (run: TrainingRun) => run.players[0]!.variables.map((v) => Array.from(v.dataSync()));

describe('emaDecay', () => {
  it('is 0 during warm-up, then min(decay, (1 + k)/(10 + k)) with k = step − warmupSteps', () => {
    const config = emaSchema.parse({ decay: 0.95, warmupSteps: 4 });
    expect([0, 3].map((s) => emaDecay(config, s))).toEqual([0, 0]);
    expect(emaDecay(config, 4)).toBe(1 / 10);
    expect(emaDecay(config, 13)).toBe(10 / 19);
    expect(emaDecay(config, 10_000)).toBe(0.95);
    expect(emaSchema.parse({ decay: 0.5 }).warmupSteps).toBe(0);
  });
});

describe('EmaWeights', () => {
  it('the average of a constant sequence is that constant, bit for bit', () => {
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor1d([0.1, -3.7, 1e-7, 12345.678]), true));
    const frozen = tf.tidy(() => tf.variable(tf.tensor1d([5]), false));
    const ema = new EmaWeights(emaSchema.parse({ decay: 0.999 }), { name: 'p', variables: [w, frozen], loss: () => tf.scalar(0) });
    for (let s = 0; s < 50; s++) ema.update(s);
    const [avg] = ema.state();
    expect(avg!.shape).toEqual([4]);
    expect(Array.from(avg!.dataSync())).toEqual(Array.from(w.dataSync()));
    const wrong = tf.zeros([3]);
    expect(() => ema.restore([wrong])).toThrow('resume: player "p" averaged (ema) variable 0 has shape [3], expected [4]');
    wrong.dispose();
    expect(() => ema.restore([])).toThrow('resume: checkpoint has 0 averaged (ema) variables for player "p", expected 1');
    tf.dispose(avg!);
    ema.dispose();
    tf.dispose([w, frozen]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('train with ema', () => {
  it('a fixed gradient sequence gives the closed form θ̄_S = θ_0 − ηc (S − d(1 − d^S)/(1 − d)); checkpoints hold θ and θ̄', async () => {
    const data = tf.zeros([8, 2]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    // With decay 0.1 the ramp (1 + k)/(10 + k) ≥ 0.1 never binds: d_s = 0.1 at every step.
    const d = 0.1;
    const S = 40;
    const eta = 0.125;
    const c = [1, -2];
    const run = linearRun([1, 2], c);
    let checkpoint: Checkpoint | undefined;
    await train(run, data, {
      steps: S,
      batchSize: 4,
      seed: 0,
      optimizer: { name: 'sgd', lr: eta },
      ema: { decay: d },
      checkpointEvery: 20,
      onCheckpoint: (ck) => void (checkpoint = decodeCheckpoint(encodeCheckpoint(ck, {})).checkpoint),
    });
    const lag = S - (d * (1 - d ** S)) / (1 - d);
    const got = values(run)[0]!;
    [1, 2].forEach((w0, i) => expect(got[i]!).toBeCloseTo(w0 - eta * c[i]! * lag, 5));
    // At step 20 the checkpoint holds the raw θ_20 = θ_0 − 20ηc (exact) and θ̄_20 apart.
    expect(Array.from(checkpoint!.variables.w![0]!.dataSync())).toEqual([1 - 20 * eta, 2 + 40 * eta]);
    const avg20 = Array.from(checkpoint!.ema!.w![0]!.dataSync());
    const lag20 = 20 - (d * (1 - d ** 20)) / (1 - d);
    [1, 2].forEach((w0, i) => expect(avg20[i]!).toBeCloseTo(w0 - eta * c[i]! * lag20, 5));
    disposeCheckpoint(checkpoint!);
    run.dispose!();
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });

  it('with warm-up and the ramp, θ̄ follows the documented rule step by step', async () => {
    const data = tf.zeros([8, 1]) as tf.Tensor2D;
    const config = { decay: 0.95, warmupSteps: 4 };
    const eta = 0.25;
    const run = linearRun([3], [1]);
    await train(run, data, { steps: 60, batchSize: 4, seed: 0, optimizer: { name: 'sgd', lr: eta }, ema: config });
    const thetas = Array.from({ length: 60 }, (_, s) => 3 - (s + 1) * eta);
    const expected = averageOf(3, thetas, config);
    expect(values(run)[0]![0]!).toBeCloseTo(expected, 4);
    // Not the raw weights (−12: the ramp's d ≈ 0.86 at the end lags θ̄ ≈ 6 steps of 0.25 behind) and
    // not the average without warm-up.
    expect(Math.abs(expected - thetas[59]!)).toBeGreaterThan(1);
    expect(Math.abs(expected - averageOf(3, thetas, { decay: 0.95, warmupSteps: 0 }))).toBeGreaterThan(0.1);
    run.dispose!();
    data.dispose();
  });

  it('resuming from a checkpoint file gives bitwise the same averaged weights as an uninterrupted run, and leaks nothing', async () => {
    const data = dataset();
    const opts = { steps: 40, batchSize: 32, seed: 9, optimizer: { name: 'adam' as const, lr: 0.02 }, ema: { decay: 0.9, warmupSteps: 3 } };
    const before = tf.memory().numTensors;
    const full = mlpRun();
    await train(full, data, opts);
    const expected = values(full);
    full.dispose!();
    const raw = mlpRun();
    await train(raw, data, { ...opts, ema: undefined });
    expect(values(raw)).not.toEqual(expected); // the average is not the raw weights
    raw.dispose!();

    const first = mlpRun();
    let saved: Checkpoint | undefined;
    await train(first, data, { ...opts, checkpointEvery: 17, onCheckpoint: (c) => void (saved ??= decodeCheckpoint(encodeCheckpoint(c, {})).checkpoint) });
    first.dispose!();
    expect(saved!.step).toBe(17);
    expect(Object.keys(saved!.ema!)).toEqual(['generator']);
    const second = mlpRun(123);
    await train(second, data, { ...opts, resume: saved! });
    expect(values(second)).toEqual(expected);
    second.dispose!();

    // A checkpoint without averaged weights restarts the average, and says so.
    const third = mlpRun();
    const warnings: string[] = [];
    const { ema: _dropped, ...withoutEma } = saved!;
    await train(third, data, { ...opts, resume: withoutEma, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      'resume: the checkpoint holds no averaged (ema) weights for player "generator"; the average restarts from the checkpoint\'s weights, so the run is not identical to an uninterrupted one',
    ]);
    third.dispose!();
    disposeCheckpoint(saved!);
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });

  it('a rollback rewinds θ̄ with θ; resumed runs before and after it end on the same θ̄', async () => {
    const data = dataset();
    const ema = { decay: 0.9 };
    const opts = {
      steps: 140,
      batchSize: 8,
      seed: 0,
      optimizer: { name: 'sgd' as const, lr: 1.5 },
      divergence: { action: 'rollback' as const, lrFactor: 0.5, maxRollbacks: 2, snapshotEvery: 10 },
      ema,
    };
    const run = doublingRun();
    const events: RollbackEvent[] = [];
    const result = await train(run, data, { ...opts, onRollback: (e) => events.push(e) });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ fromStep: 64, toStep: 60 });
    expect(result.finalLoss).toBe(2 ** -38); // the raw weights trained as without ema (trainer.test.ts)
    // The history that counts: θ after step s is (−2)^(s+1) for s < 60, then 2^60 (−1/2)^(s−59).
    const thetas = Array.from({ length: 140 }, (_, s) => (s < 60 ? (-2) ** (s + 1) : 2 ** 60 * (-0.5) ** (s - 59)));
    const expected = averageOf(1, thetas, ema);
    const got = values(run)[0]![0]!;
    expect(Math.abs(got - expected)).toBeLessThan(1e-4 * Math.abs(expected));
    // Without the rewind, steps 60–62 before the divergence (|θ| up to 2^63) would be in θ̄ too.
    const unrewound = averageOf(1, [...thetas.slice(0, 63), ...thetas.slice(60)], ema);
    expect(Math.abs(unrewound - expected)).toBeGreaterThan(1e-2 * Math.abs(expected));

    const saved: Checkpoint[] = [];
    const again = doublingRun();
    await train(again, data, {
      ...opts,
      checkpointEvery: 7,
      onCheckpoint: (c) => {
        if (c.step === 63 || c.step === 70) saved.push(decodeCheckpoint(encodeCheckpoint(c, {})).checkpoint);
      },
    });
    again.dispose!();
    expect(saved.map((c) => [c.step, c.rollbacks, c.rollback?.step, c.rollback?.ema?.w?.length])).toEqual([
      [63, 0, 60, 1],
      [63, 1, 60, 1],
      [70, 1, 60, 1],
    ]);
    for (const c of saved) {
      const resumed = doublingRun();
      await train(resumed, data, { ...opts, resume: c });
      expect(values(resumed)[0]![0]!).toBe(got);
      resumed.dispose!();
      disposeCheckpoint(c);
    }
    run.dispose!();
    data.dispose();
  });

  it('a recipe takes ema (bad values name the field) and trainRecipe returns a model holding θ̄', async () => {
    const objective = defineObjective({
      id: 'shift',
      description: 'min_w c·w with c = (1, 1)',
      schema: z.object({}).strict(),
      create: () => {
        const w = tf.tidy(() => tf.variable(tf.zeros([2]), true));
        return {
          players: [{ name: 'w', variables: [w], loss: () => tf.sum(w) as tf.Scalar }],
          model: { dim: 2, w, sample: () => tf.zeros([0, 2]), dispose: () => w.dispose() } as unknown as Model,
        };
      },
      load: () => {
        throw new Error('not needed');
      },
    });
    const registry = createRegistry({ plugins: [definePlugin({ name: 'ema-test', version: '1.0.0', entries: [objective] })] });
    expect(parseRecipe({ method: 'shift', ema: { decay: 0.9 } }, registry).ema).toEqual({ decay: 0.9, warmupSteps: 0 });
    expect(() => parseRecipe({ method: 'shift', ema: { decay: 1 } }, registry)).toThrow(OptionsError);
    expect(() => parseRecipe({ method: 'shift', ema: { decay: 1 } }, registry)).toThrow(/config\.ema\.decay/);
    expect(() => parseRecipe({ method: 'shift', ema: { decay: 0.9, warmup: 3 } }, registry)).toThrow(/config\.ema.*warmup/);
    const data = tf.zeros([4, 2]) as tf.Tensor2D;
    const run = linearRun([0, 0], [1, 1]);
    await expect(train(run, data, { steps: 2, batchSize: 2, seed: 0, ema: { decay: -0.5 } })).rejects.toThrow(/train: "ema\.decay" is -0\.5: /);
    run.dispose!();
    const before = tf.memory().numTensors;
    const { model, recipe } = await trainRecipe({ method: 'shift', steps: 10, batchSize: 2, optimizer: { name: 'sgd', lr: 0.5 }, ema: { decay: 0.1 } }, data, { registry });
    expect(recipe.ema).toEqual({ decay: 0.1, warmupSteps: 0 });
    const lag = 10 - (0.1 * (1 - 0.1 ** 10)) / 0.9;
    const w = Array.from((model as unknown as { w: tf.Variable }).w.dataSync());
    w.forEach((v) => expect(v).toBeCloseTo(-0.5 * lag, 5));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });
});
