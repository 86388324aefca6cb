import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Model } from '../contracts/model.js';
import type { TrainingRun } from '../contracts/objective.js';
import { createRng } from '../rng/rng.js';
import { mlp } from '../maps/mlp.js';
import { TensorLeakError, TrainingDivergedError } from './errors.js';
import { disposeCheckpoint, train, type Checkpoint } from './trainer.js';

/** min_w E‖X − w‖²: the minimiser is the data mean. */
function meanRun(init: number[], options: { poison?: number; leak?: boolean } = {}): TrainingRun {
  const w = tf.tidy(() => tf.variable(tf.tensor1d(init), true));
  const kept: tf.Tensor[] = [];
  return {
    players: [
      {
        name: 'mean',
        variables: [w],
        loss: ({ batch, step }) => {
          if (options.leak) kept.push(tf.keep(tf.zeros([1])));
          const l = tf.mean(tf.sum(tf.square(tf.sub(batch, w)), 1)) as tf.Scalar;
          return options.poison !== undefined && step >= options.poison ? (tf.mul(l, NaN) as tf.Scalar) : l;
        },
      },
    ],
    model: { dim: init.length } as unknown as Model,
    dispose: () => {
      w.dispose();
      tf.dispose(kept);
    },
  };
}

function dataset(): tf.Tensor2D {
  return tf.tidy(() => createRng(5).normal([512, 2]).mul(0.5).add(tf.tensor1d([3, -1])) as tf.Tensor2D);
}

describe('train', () => {
  it('minimises the loss: E‖X − w‖² is minimised at the mean of the data', async () => {
    const data = dataset();
    const run = meanRun([0, 0]);
    const result = await train(run, data, { steps: 300, batchSize: 512, seed: 1, optimizer: { name: 'adam', lr: 0.05 } });
    const w = run.players[0]!.variables[0]!.dataSync();
    const mean = tf.tidy(() => data.mean(0).dataSync());
    expect(result.status).toBe('completed');
    expect(Math.abs(w[0]! - mean[0]!)).toBeLessThan(1e-2);
    expect(Math.abs(w[1]! - mean[1]!)).toBeLessThan(1e-2);
    expect(result.lossHistory).toHaveLength(300);
    expect(result.finalLoss).toBeLessThan(result.lossHistory[0]!);
    run.dispose!();
    data.dispose();
  });

  it('resuming from a checkpoint gives bitwise the same parameters as an uninterrupted run', async () => {
    const data = dataset();
    const opts = { steps: 40, batchSize: 64, seed: 9, optimizer: { name: 'adamw' as const, lr: 0.01, weightDecay: 0.1 } };
    const full = mlpRun();
    await train(full.run, data, opts);
    const expected = full.run.players[0]!.variables.map((v) => Array.from(v.dataSync()));
    full.run.dispose!();

    const first = mlpRun();
    let saved: Checkpoint | undefined;
    await train(first.run, data, {
      ...opts,
      checkpointEvery: 17,
      onCheckpoint: (c) => {
        if (c.step === 17) saved = cloneCheckpoint(c);
      },
    });
    first.run.dispose!();
    expect(saved?.step).toBe(17);

    const second = mlpRun(123); // different initial weights: the checkpoint must overwrite them
    const result = await train(second.run, data, { ...opts, resume: saved! });
    const got = second.run.players[0]!.variables.map((v) => Array.from(v.dataSync()));
    expect(got).toEqual(expected);
    expect(result.steps).toBe(40);
    second.run.dispose!();
    disposeCheckpoint(saved!);
    data.dispose();
  });

  it('stops on a NaN loss with a clear error and keeps the last good parameters', async () => {
    const data = dataset();
    const run = meanRun([0, 0], { poison: 5 });
    let before: number[] = [];
    const promise = train(run, data, {
      steps: 20,
      batchSize: 32,
      seed: 1,
      progressEvery: 1,
      onProgress: (p) => {
        if (p.step === 5) before = Array.from(run.players[0]!.variables[0]!.dataSync());
      },
    });
    await expect(promise).rejects.toThrow(TrainingDivergedError);
    await expect(promise).rejects.toThrow(/step 6: player "mean" loss is NaN; parameters kept from step 5/);
    expect(Array.from(run.players[0]!.variables[0]!.dataSync())).toEqual(before);
    run.dispose!();
    data.dispose();
  });

  it('detects a tensor leak in an objective', async () => {
    const data = dataset();
    const run = meanRun([0, 0], { leak: true });
    await expect(train(run, data, { steps: 5, batchSize: 8, seed: 1 })).rejects.toThrow(TensorLeakError);
    run.dispose!();
    data.dispose();
  });

  it('an abort from a timer stops training between steps (the loop yields to the event loop)', async () => {
    const data = dataset();
    const run = mlpRun();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const result = await train(run.run, data, { steps: 1_000_000, batchSize: 32, seed: 1, signal: controller.signal });
    expect(result.status).toBe('aborted');
    expect(result.steps).toBeLessThan(1_000_000);
    run.run.dispose!();
    data.dispose();
  });

  it('stops on abort with a checkpoint, reports progress with ETA, and validates options', async () => {
    const data = dataset();
    const run = meanRun([0, 0]);
    const controller = new AbortController();
    const seen: number[] = [];
    let abortedAt = -1;
    const result = await train(run, data, {
      steps: 100,
      batchSize: 16,
      seed: 2,
      progressEvery: 5,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.step);
        expect(p.stepsPerSecond).toBeGreaterThan(0);
        expect(p.etaSeconds).toBeGreaterThanOrEqual(0);
        if (p.step === 10) controller.abort();
      },
      onCheckpoint: (c) => {
        abortedAt = c.step;
      },
    });
    expect(result.status).toBe('aborted');
    expect(result.steps).toBe(10);
    expect(abortedAt).toBe(10);
    expect(seen).toEqual([5, 10]);
    await expect(train(run, data, { steps: 0, batchSize: 1, seed: 0 })).rejects.toThrow(/"steps" must be a positive integer/);
    run.dispose!();
    data.dispose();
  });
});

function mlpRun(seed = 0): { run: TrainingRun } {
  const net = mlp({ inputDim: 2, outputDim: 2, hidden: [8], activation: 'tanh' }, createRng(seed));
  const run: TrainingRun = {
    players: [
      {
        name: 'generator',
        variables: net.variables,
        loss: ({ batch, rng }) =>
          tf.tidy(() => {
            const z = rng.normal(batch.shape) as tf.Tensor2D;
            return tf.mean(tf.square(tf.sub(net.apply(z), batch))) as tf.Scalar;
          }),
      },
    ],
    model: { dim: 2 } as unknown as Model,
    dispose: () => net.dispose(),
  };
  return { run };
}

function cloneCheckpoint(c: Checkpoint): Checkpoint {
  return {
    ...c,
    variables: Object.fromEntries(Object.entries(c.variables).map(([k, v]) => [k, v.map((t) => tf.keep(tf.clone(t)))])),
    optimizers: Object.fromEntries(
      Object.entries(c.optimizers).map(([k, s]) => [
        k,
        { slots: Object.fromEntries(Object.entries(s.slots).map(([n, ts]) => [n, ts.map((t) => tf.keep(tf.clone(t)))])) },
      ]),
    ),
    lossHistory: c.lossHistory.slice(),
  };
}
