// mapPlayerBatches: each player's loss sees the transformed batch, keeps its variables and settings,
// an identity transform leaves the loss bit for bit, and no tensor outlives the loss.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Model } from '../contracts/model.js';
import type { StepInput, TrainingRun } from '../contracts/objective.js';
import { createRng } from '../rng/rng.js';
import { mapPlayerBatches } from './map-player-batches.js';

/** Two players: 'mean' minimises E‖X − w‖², 'critic' (3 updates per step, its own lr) minimises (Σ X) · v. */
function twoPlayerRun(): { run: TrainingRun; w: tf.Variable; v: tf.Variable } {
  const w = tf.tidy(() => tf.variable(tf.tensor1d([0.5, -1]), true));
  const v = tf.tidy(() => tf.variable(tf.scalar(2), true));
  const run: TrainingRun = {
    players: [
      { name: 'mean', variables: [w], loss: ({ batch }) => tf.mean(tf.sum(tf.square(tf.sub(batch, w)), 1)) as tf.Scalar },
      { name: 'critic', variables: [v], updatesPerStep: 3, optimizer: { lr: 0.1 }, loss: ({ batch }) => tf.mul(tf.sum(batch), v) as tf.Scalar },
    ],
    model: { dim: 2 } as unknown as Model,
    beforeStep: () => undefined,
    dispose: () => tf.dispose([w, v]),
  };
  return { run, w, v };
}

const input = (batch: tf.Tensor2D): StepInput => ({ batch, rng: createRng(0), step: 3, totalSteps: 10 });

describe('mapPlayerBatches', () => {
  it('evaluates every loss on the transformed batch and keeps variables, step ratios, optimizer overrides and hooks', () => {
    const { run, w, v } = twoPlayerRun();
    const before = tf.memory().numTensors;
    const seen: string[] = [];
    const shifted = mapPlayerBatches(run, ({ batch }, player, index) => {
      seen.push(`${player.name}:${index}`);
      return tf.add(batch, 3) as tf.Tensor2D;
    });
    expect(shifted.players.map((p) => p.variables[0])).toEqual([w, v]);
    expect(shifted.players[1]!.updatesPerStep).toBe(3);
    expect(shifted.players[1]!.optimizer).toEqual({ lr: 0.1 });
    expect(shifted.beforeStep).toBe(run.beforeStep);
    expect(shifted.model).toBe(run.model);
    const values = tf.tidy(() => {
      const x = tf.tensor2d([[1, 2], [3, 4]]);
      const plus3 = tf.add(x, 3) as tf.Tensor2D;
      const got = shifted.players.map((p) => p.loss(input(x)).dataSync()[0]!);
      const want = run.players.map((p) => p.loss(input(plus3)).dataSync()[0]!);
      return { got, want };
    });
    expect(values.got).toEqual(values.want);
    // (Σ x + 3·4) · 2 = (10 + 12) · 2: the critic saw the shifted batch too.
    expect(values.got[1]).toBe(44);
    expect(seen).toEqual(['mean:0', 'critic:1']);
    expect(tf.memory().numTensors).toBe(before);
    run.dispose!();
  });

  it('an identity transform passes the very same input object on', () => {
    const { run } = twoPlayerRun();
    const before = tf.memory().numTensors;
    const received: StepInput[] = [];
    const spy: TrainingRun = { ...run, players: run.players.map((p) => ({ ...p, loss: (i: StepInput) => (received.push(i), p.loss(i)) })) };
    const same = mapPlayerBatches(spy, ({ batch }) => batch);
    tf.tidy(() => {
      const given = input(tf.tensor2d([[1, 2]]));
      same.players[0]!.loss(given);
      expect(received[0]).toBe(given);
    });
    expect(tf.memory().numTensors).toBe(before);
    run.dispose!();
  });
});
