import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Model } from '../contracts/model.js';
import type { TrainingRun } from '../contracts/objective.js';
import { mlp } from '../maps/mlp.js';
import { createRng } from '../rng/rng.js';
import { largestBatchWithin, planMemory, tensorBytes, type WithSetupPasses } from './memory-plan.js';
import { train } from './trainer.js';

/** An auto-encoder d → 16 → d (MLP with one hidden layer) trained on squared error. */
function autoEncoderRun(dim: number): TrainingRun {
  const net = mlp({ inputDim: dim, outputDim: dim, hidden: [16] }, createRng(4));
  return {
    players: [{ name: 'ae', variables: net.variables, loss: ({ batch }) => tf.mean(tf.square(tf.sub(net.apply(batch), batch))) as tf.Scalar }],
    model: { dim } as unknown as Model,
    dispose: () => net.dispose(),
  };
}

describe('planMemory', () => {
  it("predicts the peak of a real step's tensors within 10%, from probes on 2 and 3 rows", async () => {
    const dim = 3000;
    const batchSize = 64;
    const data = tf.tidy(() => createRng(1).normal([100, dim]) as tf.Tensor2D);
    const run = autoEncoderRun(dim);
    const before = tf.memory().numTensors;
    const plan = await planMemory(run, data, { batchSize });
    expect(tf.memory().numTensors).toBe(before);
    const parameters = dim * 16 + 16 + 16 * dim + dim;
    expect(plan.parameters).toBe(parameters);
    expect(plan.dataBytes).toBe(2 * 100 * dim * 4);
    expect(plan.parameterBytes).toBe(4 * 4 * parameters);
    // The measured peak of one step, above what existed before it: activations and gradients of the
    // pass, plus Adam's two slots created at the first update (counted in parameterBytes).
    const start = tf.memory().numBytes;
    const profile = await tf.profile(async () => {
      await train(run, data, { steps: 1, batchSize, seed: 0 });
    });
    const measured = profile.peakBytes - start;
    const predicted = plan.activationBytes + 2 * 4 * parameters;
    expect(Math.abs(predicted - measured) / measured).toBeLessThan(0.1);
    expect(plan.totalBytes).toBe(plan.dataBytes + plan.parameterBytes + plan.activationBytes);
    expect(tf.memory().numTensors).toBe(before);
    run.dispose!();
    data.dispose();
  }, 60_000);

  it('gives the largest batch size that fits a limit', () => {
    const plan = { dataBytes: 100, parameterBytes: 200, activationBytes: 50 + 9 * 10, activationBytesPerRow: 10, totalBytes: 100 + 200 + 140, parameters: 50, stateBytes: 0, setupBytes: 0 };
    expect(largestBatchWithin(plan, 10, 440)).toBe(10);
    expect(largestBatchWithin(plan, 10, 449)).toBe(10);
    expect(largestBatchWithin(plan, 10, 450)).toBe(11);
    expect(largestBatchWithin(plan, 10, 349)).toBe(0);
    // A set-up pass above the limit: no batch size helps.
    const setup = { ...plan, setupBytes: 500, totalBytes: 500, setupPass: 'initialisation' };
    expect(largestBatchWithin(setup, 10, 499)).toBe(0);
    expect(largestBatchWithin(setup, 10, 500)).toBe(16);
  });

  it('rejects a bad batch size naming it', async () => {
    const data = tf.zeros([2, 2]) as tf.Tensor2D;
    const run = autoEncoderRun(2);
    await expect(planMemory(run, data, { batchSize: 0 })).rejects.toThrow(/"batchSize" must be a positive integer, got 0/);
    run.dispose!();
    data.dispose();
  });
});

describe('planMemory of a loss that throws', () => {
  it('rethrows and leaves no tensor behind, so training can go on', async () => {
    const data = tf.tidy(() => createRng(1).normal([4, 3]) as tf.Tensor2D);
    const run = autoEncoderRun(3);
    const before = tf.memory().numTensors;
    const failing: TrainingRun = {
      ...run,
      players: [{ ...run.players[0]!, loss: ({ batch }) => {
        tf.square(batch);
        throw new Error('needs its beforeStep hook');
      } }],
    };
    await expect(planMemory(failing, data, { batchSize: 4 })).rejects.toThrow('needs its beforeStep hook');
    expect(tf.memory().numTensors).toBe(before);
    const result = await train(run, data, { steps: 2, batchSize: 4, seed: 0 });
    expect(result.status).toBe('completed');
    run.dispose!();
    data.dispose();
  });
});

describe('planMemory of a conditional run', () => {
  it('passes the probes a condition (the first row\'s), so a loss that reads ctx.condition gets a plan', async () => {
    const dim = 3;
    const data = tf.tidy(() => createRng(2).normal([8, dim]) as tf.Tensor2D);
    const labels = tf.tensor1d([1, 0, 1, 0, 1, 0, 1, 0], 'int32');
    const means = tf.tidy(() => tf.variable(tf.zeros([2, dim])));
    const seen: number[][] = [];
    const run: TrainingRun = {
      players: [
        {
          name: 'means',
          variables: [means],
          loss: ({ batch, condition }) => {
            if (condition === undefined) throw new Error('this loss needs the batch\'s condition');
            seen.push(Array.from(condition.dataSync()));
            return tf.mean(tf.sum(tf.square(tf.sub(batch, tf.gather(means, condition))), 1)) as tf.Scalar;
          },
        },
      ],
      model: { dim } as unknown as Model,
    };
    const before = tf.memory().numTensors;
    await expect(planMemory(run, data, { batchSize: 4 })).rejects.toThrow("needs the batch's condition");
    const plan = await planMemory(run, data, { batchSize: 4, condition: labels });
    expect(seen).toEqual([[1, 1], [1, 1, 1]]);
    expect(plan.parameters).toBe(2 * dim);
    expect(plan.activationBytes).toBeGreaterThan(0);
    const short = labels.slice(0, 7);
    await expect(planMemory(run, data, { batchSize: 4, condition: short })).rejects.toThrow(
      'planMemory: "condition" must be [N] labels or [N, m] context with N = 8 (one per data row), got shape [7]',
    );
    short.dispose();
    expect(tf.memory().numTensors).toBe(before);
    means.dispose();
    labels.dispose();
    data.dispose();
  });
});

describe('planMemory of a run with a set-up pass', () => {
  it('counts the held rows and one chunk without gradients, and takes the larger of step and set-up', async () => {
    const dim = 500;
    const rows = 300;
    const data = tf.tidy(() => createRng(3).normal([rows, dim]) as tf.Tensor2D);
    const run = autoEncoderRun(dim);
    const before = tf.memory().numTensors;
    const plain = await planMemory(run, data, { batchSize: 8 });
    expect(plain.setupBytes).toBe(0);
    expect(plain.setupPass).toBeUndefined();
    const chunkRows = 128;
    const withSetup: TrainingRun & WithSetupPasses = { ...run, setupPasses: [{ name: 'small', heldRows: 10, chunkRows: 2 }, { name: 'copies and chunks', heldRows: 2 * rows, chunkRows }] };
    const plan = await planMemory(withSetup, data, { batchSize: 8 });
    expect(plan.setupPass).toBe('copies and chunks');
    // The step's terms are those of the run without set-up.
    expect({ ...plan, setupBytes: 0, setupPass: undefined, totalBytes: plain.totalBytes }).toEqual({ ...plain, setupPass: undefined });
    // The chunk's pass: measured directly (the loss on 128 rows, no gradients) against the plan's extrapolation.
    const start = tf.memory().numBytes;
    const profile = await tf.profile(() => {
      tf.tidy(() => {
        run.players[0]!.loss({ batch: tf.slice(data, [0, 0], [chunkRows, dim]), rng: createRng(0), step: 0, totalSteps: 1 });
      });
    });
    const forward = plan.setupBytes - plan.dataBytes - 4 * plan.parameters - 2 * rows * dim * 4;
    const measured = profile.peakBytes - start;
    expect(Math.abs(forward - measured) / measured).toBeLessThan(0.1);
    expect(plan.setupBytes).toBeGreaterThan(plan.dataBytes + plan.parameterBytes + plan.activationBytes);
    expect(plan.totalBytes).toBe(plan.setupBytes);
    await expect(planMemory({ ...run, setupPasses: [{ name: 'bad', heldRows: -1, chunkRows: 4 }] } as TrainingRun, data, { batchSize: 8 })).rejects.toThrow(
      'planMemory: "setupPasses[0].heldRows" must be an integer ≥ 0, got -1',
    );
    expect(tf.memory().numTensors).toBe(before);
    run.dispose!();
    data.dispose();
  });
});

describe('planMemory of a run with state and a probed set-up pass', () => {
  it('adds the declared state to the step and the set-up, and measures a pass through its own probe', async () => {
    const dim = 40;
    const rows = 50;
    const data = tf.tidy(() => createRng(5).normal([rows, dim]) as tf.Tensor2D);
    const run = autoEncoderRun(dim);
    const before = tf.memory().numTensors;
    const plain = await planMemory(run, data, { batchSize: 8 });
    expect(plain.stateBytes).toBe(0);
    // A pass through another network: 3 intermediates of [b, 1000] floats alive at once per chunk of b rows.
    const width = 1000;
    const probe = (b: number) => {
      const a = tf.ones([b, width]);
      const c = tf.add(a, 1);
      tf.mul(c, a);
    };
    const state = 123_456;
    const withState: TrainingRun & WithSetupPasses = {
      ...run,
      stateBytes: state,
      setupPasses: [{ name: 'teacher pairs', heldRows: rows, chunkRows: 64, probe, advice: 'fewer pairs' }],
    };
    const plan = await planMemory(withState, data, { batchSize: 8 });
    expect(plan.stateBytes).toBe(state);
    expect(plan.activationBytes).toBe(plain.activationBytes);
    // The probe's peak extrapolated to 64 rows: exactly three [64, 1000] float tensors.
    expect(plan.setupBytes).toBe(plan.dataBytes + 4 * plan.parameters + state + rows * dim * 4 + 3 * 64 * width * 4);
    expect(plan.setupPass).toBe('teacher pairs');
    expect(plan.setupAdvice).toBe('fewer pairs');
    expect(plan.totalBytes).toBe(Math.max(plan.setupBytes, plain.totalBytes + state));
    // The batch-size search counts the state too.
    const stepAt8 = plain.totalBytes + state;
    expect(largestBatchWithin({ ...plan, setupBytes: 0 }, 8, stepAt8)).toBe(8);
    expect(largestBatchWithin({ ...plan, setupBytes: 0 }, 8, stepAt8 - 1)).toBe(7);
    await expect(planMemory({ ...run, setupPasses: [], stateBytes: -4 } as TrainingRun, data, { batchSize: 8 })).rejects.toThrow('planMemory: "stateBytes" must be an integer ≥ 0, got -4');
    expect(tf.memory().numTensors).toBe(before);
    run.dispose!();
    data.dispose();
  });
});

describe('tensorBytes', () => {
  it('adds the bytes of each dtype, counts absent tensors as none, and refuses strings', () => {
    const before = tf.memory().numTensors;
    const f = tf.zeros([3, 5]);
    const i = tf.zeros([7], 'int32');
    const b = tf.zeros([9], 'bool');
    const s = tf.tensor1d(['a', 'bc'], 'string');
    try {
      expect(tensorBytes()).toBe(0);
      expect(tensorBytes(f, undefined, i, b)).toBe(4 * 15 + 4 * 7 + 9);
      // The device's own count of the same tensors (numeric dtypes).
      const onDevice = tf.memory().numBytes;
      const withOneMore = tf.zeros([3, 5]);
      expect(tf.memory().numBytes - onDevice).toBe(tensorBytes(withOneMore));
      withOneMore.dispose();
      expect(() => tensorBytes(f, s)).toThrow(/a string tensor has no fixed size per element/);
    } finally {
      tf.dispose([f, i, b, s]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
