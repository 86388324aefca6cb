import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Model } from '../contracts/model.js';
import type { TrainingRun } from '../contracts/objective.js';
import { createOptimizer, optimizerSchema } from './optimizer.js';
import { divergenceSchema } from './divergence.js';
import { TrainingDivergedError } from './errors.js';
import { DivergenceRollback, type RollbackEvent } from './divergence-rollback.js';

function oneVariableRun(): { run: TrainingRun; w: tf.Variable } {
  const w = tf.tidy(() => tf.variable(tf.scalar(1), true));
  const run: TrainingRun = {
    players: [{ name: 'p', variables: [w], loss: () => tf.square(w) as tf.Scalar }],
    model: { dim: 1 } as unknown as Model,
  };
  return { run, w };
}

describe('DivergenceRollback', () => {
  it('snapshots on the first step and every snapshotEvery steps, and a divergence restores the snapshot with a lower learning rate', () => {
    const before = tf.memory().numTensors;
    const { run, w } = oneVariableRun();
    const optimizers = [createOptimizer(optimizerSchema.parse({ name: 'sgd', lr: 0.1 }), [w])];
    const rollback = new DivergenceRollback(divergenceSchema.parse({ action: 'rollback', snapshotEvery: 3, lrFactor: 0.25 }), run, optimizers);
    rollback.beforeStep(1);
    expect(rollback.snapshot?.step).toBe(1);
    tf.tidy(() => w.assign(tf.scalar(2)));
    rollback.beforeStep(2); // not a multiple of 3: the snapshot stays
    expect(rollback.snapshot?.step).toBe(1);
    rollback.beforeStep(3);
    expect(rollback.snapshot?.step).toBe(3);
    tf.tidy(() => w.assign(tf.scalar(5)));
    const history = [0.1, 0.2, 0.3, 0.4, 0.5];
    const events: RollbackEvent[] = [];
    const resumeAt = rollback.recover(new TrainingDivergedError('boom', 4), 4, history, (e) => events.push(e));
    expect(resumeAt).toBe(3);
    expect(w.dataSync()[0]).toBe(2);
    expect(history).toEqual([0.1, 0.2, 0.3]);
    expect(events).toEqual([{ fromStep: 5, toStep: 3, reason: 'boom', rollbacks: 1, lrScale: 0.25 }]);
    // At the snapshot's own step there is nothing earlier to go back to.
    expect(() => rollback.recover(new TrainingDivergedError('again', 3), 3, history)).toThrow(/no earlier snapshot to roll back to \(the last one is from step 3\)/);
    rollback.dispose();
    optimizers[0]!.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with action "stop" takes no snapshot and rethrows the divergence as it is; other errors are always rethrown', () => {
    const before = tf.memory().numTensors;
    const { run, w } = oneVariableRun();
    const optimizers = [createOptimizer(optimizerSchema.parse({}), [w])];
    const stop = new DivergenceRollback(divergenceSchema.parse({}), run, optimizers);
    stop.beforeStep(0);
    expect(stop.snapshot).toBeUndefined();
    const diverged = new TrainingDivergedError('nan', 0);
    expect(() => stop.recover(diverged, 0, [])).toThrow(diverged);
    const rolling = new DivergenceRollback(divergenceSchema.parse({ action: 'rollback' }), run, optimizers);
    rolling.beforeStep(0);
    const other = new Error('not a divergence');
    expect(() => rolling.recover(other, 1, [])).toThrow(other);
    rolling.dispose();
    optimizers[0]!.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
