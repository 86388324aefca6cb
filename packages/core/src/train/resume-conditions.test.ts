// A conditional run's checkpoint belongs to its labels (or context rows) as much as to its points:
// resuming with other conditions is refused, like resuming on other data.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Model } from '../contracts/model.js';
import type { TrainingRun } from '../contracts/objective.js';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint-file.js';
import { createRng } from '../rng/rng.js';
import { dataFingerprint } from './data-fingerprint.js';
import { disposeCheckpoint, train, type Checkpoint } from './trainer.js';

/** min_w E‖X − w_c‖² with one mean per class c (labels 0 and 1): the batch's labels pick the row of w. */
function classMeansRun(classes = 2): TrainingRun {
  const w = tf.tidy(() => tf.variable(tf.zeros([classes, 2]), true));
  return {
    players: [
      {
        name: 'means',
        variables: [w],
        loss: ({ batch, condition }) => tf.mean(tf.sum(tf.square(tf.sub(batch, tf.gather(w, condition!))), 1)) as tf.Scalar,
      },
    ],
    model: { dim: 2 } as unknown as Model,
    dispose: () => w.dispose(),
  };
}

describe('resuming a conditional run', () => {
  it('the fingerprint hashes the conditions apart from the points; a checkpoint refuses other labels, and a run without any', async () => {
    const before = tf.memory().numTensors;
    const data = tf.tidy(() => createRng(3).normal([64, 2]) as tf.Tensor2D);
    const labels = tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 2), 'int32');
    const swapped = tf.tensor1d(Array.from({ length: 64 }, (_, i) => 1 - (i % 2)), 'int32');
    const context = tf.tidy(() => tf.cast(labels, 'float32').reshape([64, 1]));

    const plain = dataFingerprint(data);
    const withLabels = dataFingerprint(data, labels);
    expect(withLabels).toMatchObject({ ...plain, condition: { rows: 64 } });
    expect(plain.condition).toBeUndefined();
    expect(dataFingerprint(data, swapped).condition!.hash).not.toBe(withLabels.condition!.hash);
    // The same numbers as int32 labels or float32 context are other bit patterns.
    expect(dataFingerprint(data, context).condition!.hash).not.toBe(withLabels.condition!.hash);

    const opts = { steps: 10, batchSize: 16, seed: 2 };
    const first = classMeansRun();
    let saved: Checkpoint | undefined;
    await train(first, data, { ...opts, condition: labels, checkpointEvery: 5, onCheckpoint: (c) => void (saved ??= decodeCheckpoint(encodeCheckpoint(c, {})).checkpoint) });
    first.dispose!();
    expect(saved!.data).toEqual(withLabels);

    const second = classMeansRun();
    const hash = withLabels.condition!.hash;
    await expect(train(second, data, { ...opts, condition: swapped, resume: saved! })).rejects.toThrow(
      new RegExp(`^resume: the checkpoint was made with other conditions \\(64 rows, hash ${hash}\\) than this run's \\(64 rows, hash (?!${hash})[0-9a-f]{16}\\); resume with the same labels or context rows$`),
    );
    await expect(train(second, data, { ...opts, resume: saved! })).rejects.toThrow(
      `resume: the checkpoint was made with conditions (64 rows, hash ${hash}) and this run has none; resume with the same labels or context rows`,
    );
    // The same labels resume; a checkpoint written before conditions were hashed is not checked.
    expect((await train(second, data, { ...opts, condition: labels, resume: saved! })).steps).toBe(10);
    const { condition: _dropped, ...older } = saved!.data!;
    expect((await train(second, data, { ...opts, condition: swapped, resume: { ...saved!, data: older } })).steps).toBe(10);
    second.dispose!();
    disposeCheckpoint(saved!);
    tf.dispose([data, labels, swapped, context]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a checkpoint file keeps the condition hash and refuses a malformed one, naming the field', () => {
    const data = tf.tidy(() => createRng(3).normal([8, 2]) as tf.Tensor2D);
    const labels = tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32');
    const before = tf.memory().numTensors;
    const checkpoint: Checkpoint = { step: 0, seed: 1, steps: 1, batchSize: 1, variables: {}, optimizers: {}, lossHistory: [], data: dataFingerprint(data, labels) };
    const text = encodeCheckpoint(checkpoint, {});
    const back = decodeCheckpoint(text).checkpoint;
    expect(back.data).toEqual(checkpoint.data);
    disposeCheckpoint(back);
    const file = JSON.parse(text);
    file.data.condition.hash = 'xyz';
    expect(() => decodeCheckpoint(JSON.stringify(file), 'c.json')).toThrow('data.condition.hash: expected 16 hex digits, got "xyz"');
    file.data.condition = { rows: 8, hash: checkpoint.data!.condition!.hash, extra: 1 };
    expect(() => decodeCheckpoint(JSON.stringify(file), 'c.json')).toThrow(/data\.condition\.extra: unknown field \(expected only rows, hash, classes\)/);
    expect(back.data!.condition!.classes).toBe(2);
    file.data.condition = { rows: 8, hash: checkpoint.data!.condition!.hash, classes: 0 };
    expect(() => decodeCheckpoint(JSON.stringify(file), 'c.json')).toThrow('data.condition.classes: expected a positive integer, got 0');
    // A file written before the class count was recorded still reads.
    file.data.condition = { rows: 8, hash: checkpoint.data!.condition!.hash };
    const older = decodeCheckpoint(JSON.stringify(file), 'c.json').checkpoint;
    expect(older.data!.condition).toEqual({ rows: 8, hash: checkpoint.data!.condition!.hash });
    disposeCheckpoint(older);
    // An unconditional checkpoint is written as before: no condition key.
    expect(JSON.parse(encodeCheckpoint({ ...checkpoint, data: dataFingerprint(data) }, {})).data).not.toHaveProperty('condition');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([data, labels]);
  });

  it('labels of another class count are named as such (N in the checkpoint, M in the labels), before any variable is restored', async () => {
    const before = tf.memory().numTensors;
    const data = tf.tidy(() => createRng(4).normal([30, 2]) as tf.Tensor2D);
    const two = tf.tensor1d(Array.from({ length: 30 }, (_, i) => i % 2), 'int32');
    const three = tf.tensor1d(Array.from({ length: 30 }, (_, i) => i % 3), 'int32');
    expect(dataFingerprint(data, two).condition!.classes).toBe(2);
    expect(dataFingerprint(data, three).condition!.classes).toBe(3);
    // Context rows have no classes.
    const context = tf.tidy(() => tf.cast(three, 'float32').reshape([30, 1]));
    expect(dataFingerprint(data, context).condition).not.toHaveProperty('classes');
    const opts = { steps: 4, batchSize: 8, seed: 1 };
    const first = classMeansRun(2);
    let saved: Checkpoint | undefined;
    await train(first, data, { ...opts, condition: two, checkpointEvery: 2, onCheckpoint: (c) => void (saved ??= decodeCheckpoint(encodeCheckpoint(c, {})).checkpoint) });
    first.dispose!();
    const second = classMeansRun(3);
    const untouched = Array.from(second.players[0]!.variables[0]!.dataSync());
    await expect(train(second, data, { ...opts, condition: three, resume: saved! })).rejects.toThrow(
      "resume: the checkpoint was trained on labels of 2 classes (0…1) and this run's labels have 3 (0…2); the class embedding differs, so resume with the labels the checkpoint was trained on, or train from the start without resuming",
    );
    expect(Array.from(second.players[0]!.variables[0]!.dataSync())).toEqual(untouched);
    second.dispose!();
    disposeCheckpoint(saved!);
    tf.dispose([data, two, three, context]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
