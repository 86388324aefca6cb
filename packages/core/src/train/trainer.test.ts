import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Model } from '../contracts/model.js';
import type { TrainingRun } from '../contracts/objective.js';
import { createRng } from '../rng/rng.js';
import { mlp } from '../maps/mlp.js';
import { TensorLeakError, TrainingDivergedError } from './errors.js';
import { disposeCheckpoint, train, type Checkpoint, type RollbackEvent } from './trainer.js';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint-file.js';
import { cloneSnapshot } from './training-snapshot.js';

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

  it("makes the run's set-up once, before the first step and before the average's first copy; a resumed run gets the checkpoint's weights", async () => {
    const before = tf.memory().numTensors;
    const data = dataset();
    // setup() sets w = (10, 10); plain SGD with lr 1e-30 then leaves it there (in float32), so the average (EMA)
    // is (10, 10) only if it started from the set-up's weights, not from the built run's (0, 0).
    const withSetup = (value: number) => {
      const run = meanRun([0, 0]);
      const calls: { setup: number; firstLossSawSetup?: boolean } = { setup: 0 };
      const loss = run.players[0]!.loss;
      run.players[0]!.loss = (input) => {
        calls.firstLossSawSetup ??= calls.setup === 1;
        return loss(input);
      };
      run.setup = () => {
        calls.setup += 1;
        if (calls.setup === 1) tf.tidy(() => run.players[0]!.variables[0]!.assign(tf.tensor1d([value, value])));
      };
      return { run, calls };
    };
    const opts = { steps: 4, batchSize: 16, seed: 2, optimizer: { name: 'sgd' as const, lr: 1e-30 }, ema: { decay: 0.5 } };
    const fresh = withSetup(10);
    let saved: Checkpoint | undefined;
    await train(fresh.run, data, { ...opts, checkpointEvery: 2, onCheckpoint: (c) => void (saved ??= { ...c, ...cloneSnapshot(c), lossHistory: c.lossHistory.slice() }) });
    expect(fresh.calls).toEqual({ setup: 1, firstLossSawSetup: true });
    expect(Array.from(fresh.run.players[0]!.variables[0]!.dataSync())).toEqual([10, 10]);
    // Resumed: the set-up runs (once) and the checkpoint's weights replace its result.
    const resumed = withSetup(20);
    await train(resumed.run, data, { ...opts, resume: saved! });
    expect(resumed.calls.setup).toBe(1);
    expect(Array.from(resumed.run.players[0]!.variables[0]!.dataSync())).toEqual([10, 10]);
    disposeCheckpoint(saved!);
    fresh.run.dispose!();
    resumed.run.dispose!();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
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

/**
 * min_w w² by plain gradient descent, w ← w − η·2w = (1 − 2η) w: with η = 1.5 every step multiplies
 * w by −2 (exactly, in float32), so from w = 1 the squared gradient norm 4w² = 2^(2k+2) overflows at k = 63;
 * with η = 0.75 every step multiplies w by −1/2. Every value is a power of two: results are exact.
 */
function doublingRun(): TrainingRun {
  const w = tf.tidy(() => tf.variable(tf.tensor1d([1]), true));
  return {
    players: [{ name: 'w', variables: [w], loss: () => tf.sum(tf.square(w)) as tf.Scalar }],
    model: { dim: 1 } as unknown as Model,
    dispose: () => w.dispose(),
  };
}

describe('train: faults', () => {
  it('a loss that throws mid-step leaves no tensor behind (the gradient tape is freed) and training works afterwards', async () => {
    const data = dataset();
    const { run } = mlpRun();
    const before = tf.memory().numTensors;
    const player = run.players[0]!;
    const loss = player.loss;
    player.loss = (input) => {
      if (input.step === 3) {
        // Part of the forward pass is recorded on the tape (and kept for the backward pass) before the throw.
        loss(input);
        throw new Error('objective failed');
      }
      return loss(input);
    };
    await expect(train(run, data, { steps: 10, batchSize: 32, seed: 1 })).rejects.toThrow('objective failed');
    expect(tf.memory().numTensors).toBe(before);
    player.loss = loss;
    const result = await train(run, data, { steps: 5, batchSize: 32, seed: 1 });
    expect(result.status).toBe('completed');
    expect(tf.memory().numTensors).toBe(before);
    run.dispose!();
    data.dispose();
  });

  it('rejects NaN or Inf in the data before any step, naming the row and column', async () => {
    const data = tf.tensor2d([[1, 2], [3, 4], [5, Infinity]]);
    const run = meanRun([0, 0]);
    await expect(train(run, data, { steps: 5, batchSize: 2, seed: 1 })).rejects.toThrow(
      'train: data row 2, column 1 (0-based) is Infinity; the training data must be finite',
    );
    expect(Array.from(run.players[0]!.variables[0]!.dataSync())).toEqual([0, 0]);
    run.dispose!();
    data.dispose();
  });

  it('checkpoints record the data fingerprint and backend; resuming on other data is refused, on another backend warned', async () => {
    const data = dataset();
    const opts = { steps: 20, batchSize: 16, seed: 4 };
    const first = meanRun([0, 0]);
    let saved: Checkpoint | undefined;
    await train(first, data, { ...opts, checkpointEvery: 10, onCheckpoint: (c) => void (saved = decodeCheckpoint(encodeCheckpoint(c, {})).checkpoint) });
    first.dispose!();
    expect(saved!.backend).toBe(tf.getBackend());
    expect(saved!.data).toMatchObject({ rows: 512, cols: 2 });
    expect(saved!.data!.hash).toMatch(/^[0-9a-f]{16}$/);

    // One value changed (same shape): a different hash.
    const other = tf.tidy(() => tf.concat([data.slice([0, 0], [511, 2]), tf.tensor2d([[0, 0]])]) as tf.Tensor2D);
    const second = meanRun([0, 0]);
    await expect(train(second, other, { ...opts, resume: saved! })).rejects.toThrow(
      new RegExp(`^resume: the checkpoint was made on other data \\(512×2, hash ${saved!.data!.hash}\\) than this run's \\(512×2, hash [0-9a-f]{16}\\); resume on the same data set$`),
    );
    const warnings: string[] = [];
    const result = await train(second, data, { ...opts, resume: { ...saved!, backend: 'elsewhere' }, onWarning: (m) => warnings.push(m) });
    expect(result.steps).toBe(20);
    expect(warnings).toEqual([
      `resume: the checkpoint was made on the "elsewhere" backend and this run uses "${tf.getBackend()}"; it continues, but is not bitwise identical to an uninterrupted run`,
    ]);
    second.dispose!();
    disposeCheckpoint(saved!);
    other.dispose();
    data.dispose();
  });

  it('rollback: a divergence restores the last snapshot and lowers the learning rate (closed form, exact)', async () => {
    const data = dataset();
    const run = doublingRun();
    const events: RollbackEvent[] = [];
    const opts = {
      steps: 140,
      batchSize: 8,
      seed: 0,
      optimizer: { name: 'sgd' as const, lr: 1.5 },
      divergence: { action: 'rollback' as const, lrFactor: 0.5, maxRollbacks: 2, snapshotEvery: 10 },
    };
    const result = await train(run, data, { ...opts, onRollback: (e) => events.push(e) });
    // At step 64 (k = 63) the squared gradient norm (2w)² = 2^128 overflows float32; the last
    // snapshot is from step 60, w = 2^60; then 80 steps at η = 0.75 multiply it by (−1/2)^80: w = 2^-20.
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ fromStep: 64, toStep: 60, rollbacks: 1, lrScale: 0.5 });
    expect(events[0]!.reason).toMatch(/step 64: player "w" gradient norm is Infinity/);
    expect(Array.from(run.players[0]!.variables[0]!.dataSync())).toEqual([2 ** -20]);
    expect(result).toMatchObject({ status: 'completed', steps: 140, rollbacks: 1, lrScale: 0.5 });
    expect(result.lossHistory).toHaveLength(140);
    expect(result.lossHistory[59]).toBe(2 ** 118);
    expect(result.lossHistory[60]).toBe(2 ** 120);
    expect(result.finalLoss).toBe(2 ** -38);

    // Resumed from checkpoints before and after the rollback (through the file format): the same w.
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
    // Step 63 is passed twice: before the divergence and again after the rollback to 60.
    expect(saved.map((c) => [c.step, c.lrScale, c.rollbacks, c.rollback?.step])).toEqual([
      [63, 1, 0, 60],
      [63, 0.5, 1, 60],
      [70, 0.5, 1, 60],
    ]);
    for (const c of saved) {
      const resumed = doublingRun();
      const r = await train(resumed, data, { ...opts, resume: c });
      expect(Array.from(resumed.players[0]!.variables[0]!.dataSync())).toEqual([2 ** -20]);
      expect(r).toMatchObject({ rollbacks: 1, lrScale: 0.5, finalLoss: 2 ** -38 });
      resumed.dispose!();
      disposeCheckpoint(c);
    }
    run.dispose!();
    data.dispose();
  });

  it('rollback gives up after maxRollbacks with a clear error; the default still stops at once', async () => {
    const data = dataset();
    const run = meanRun([0, 0], { poison: 12 });
    const promise = train(run, data, {
      steps: 30,
      batchSize: 8,
      seed: 1,
      divergence: { action: 'rollback', maxRollbacks: 2, snapshotEvery: 5 },
    });
    await expect(promise).rejects.toThrow(TrainingDivergedError);
    await expect(promise).rejects.toThrow(/step 13: player "mean" loss is NaN; .*; stopped after 2 rollback\(s\), the most allowed \(divergence\.maxRollbacks\)$/);
    await expect(train(run, data, { steps: 5, batchSize: 8, seed: 1, divergence: { action: 'rollback', lrFactor: 1 } })).rejects.toThrow(
      /train: "divergence\.lrFactor": /,
    );
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
