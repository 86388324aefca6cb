import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRegistry, createTrainingRun, decodeCheckpoint, disposeCheckpoint, parseRecipe } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { cliPlugins } from '../plugins.js';
import { scratchDir } from '../test-support/scratch.js';
import { readCheckpointFile } from './checkpoint-store.js';
import { checkpointTimer } from './checkpoint-timer.js';
import { ProgressReporter } from './progress-reporter.js';
import type { ProgressSink } from './progress-sink.js';
import { runTraining } from './run-training.js';
import type { StepClock } from './step-clock.js';
import type { TrainingChannel, TrainingInfo } from './training-channel.js';

const registry = createRegistry({ plugins: cliPlugins });
const silent = new ProgressReporter({ stdout: () => undefined, stderr: () => undefined, stderrIsTTY: false, columns: undefined }, true);

/** Trains 40 steps of a tiny realnvp with a checkpoint timer on a fake clock; returns the checkpoint path. */
async function trainWithClock(minutes: number, msPerLook: number): Promise<{ path: string; looks: number }> {
  const recipe = parseRecipe({ method: 'realnvp', options: { blocks: 1 }, model: { hidden: [4] }, steps: 40, batchSize: 8, seed: 2 }, registry, 'config');
  const data = tf.tensor2d(Array.from({ length: 64 }, (_, i) => Math.sin(i)), [32, 2]);
  const run = createTrainingRun(recipe, data, registry);
  const path = join(scratchDir(), 'm.json.ckpt.json');
  let clock = 0;
  let looks = 0;
  // Each look at the clock moves it on, as if every step took msPerLook of wall time.
  const timer = checkpointTimer(minutes, () => ((looks += 1), (clock += msPerLook)));
  try {
    const outcome = await runTraining({ run, recipe, registry, data, checkpoints: { path, every: undefined, timer }, resume: undefined, progress: silent });
    expect(outcome.status).toBe('finished');
  } finally {
    run.dispose?.();
    run.model.dispose();
    data.dispose();
  }
  return { path, looks };
}

describe('runTraining: checkpoints by wall time', () => {
  it('writes a checkpoint once the minutes pass on the clock, with no real wait', async () => {
    const before = tf.memory().numTensors;
    // A minute per look and a checkpoint every 5 minutes: several checkpoints in 40 steps.
    const { path, looks } = await trainWithClock(5, 60_000);
    expect(looks).toBeGreaterThan(10);
    expect(existsSync(path)).toBe(true);
    const decoded = await readCheckpointFile(path);
    expect(decoded.checkpoint.step).toBeGreaterThan(0);
    expect(decoded.checkpoint.step).toBeLessThanOrEqual(40);
    expect(decoded.recipe.method).toBe('realnvp');
    disposeCheckpoint(decoded.checkpoint);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('writes none while the minutes have not passed, and none with 0 minutes', async () => {
    const before = tf.memory().numTensors;
    expect(existsSync((await trainWithClock(5, 1_000)).path)).toBe(false);
    expect(existsSync((await trainWithClock(0, 3_600_000)).path)).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** A channel that records what the loop hands it and raises its stop flag after step `stopAfter`. */
function recordingChannel(stopAfter: number, takesSnapshots: boolean) {
  const record = {
    steps: 0,
    begun: [] as TrainingInfo[],
    snapshots: [] as { step: number; bytes: Uint8Array }[],
    writes: [] as { path: string; step: number; bytes: Uint8Array | undefined }[],
    ended: false,
  };
  const channel: TrainingChannel = {
    begin: (info) => void record.begun.push(info),
    stopRequested: () => (record.steps >= stopAfter ? 'SIGTERM' : undefined),
    takesSnapshots,
    offerSnapshot: (step, bytes) => void record.snapshots.push({ step, bytes }),
    writeCheckpoint: async (path, step, bytes) => void record.writes.push({ path, step, bytes }),
    end: () => void (record.ended = true),
  };
  const progress: ProgressSink = { message: () => undefined, update: (p) => void (record.steps = p.step), clear: () => undefined };
  return { record, channel, progress };
}

/** The step of an encoded checkpoint (its tensors disposed). */
function decodedStep(bytes: Uint8Array): number {
  const { checkpoint } = decodeCheckpoint(new TextDecoder().decode(bytes), 'bytes');
  disposeCheckpoint(checkpoint);
  return checkpoint.step;
}

describe('runTraining: a channel raises the stop flag', () => {
  async function trainUntilStopped(channelOf: ReturnType<typeof recordingChannel>, clock?: StepClock) {
    const recipe = parseRecipe({ method: 'realnvp', options: { blocks: 1 }, model: { hidden: [4] }, steps: 40, batchSize: 8, seed: 2 }, registry, 'config');
    const data = tf.tensor2d(Array.from({ length: 64 }, (_, i) => Math.cos(i)), [32, 2]);
    const run = createTrainingRun(recipe, data, registry);
    const path = join(scratchDir(), 'm.json.ckpt.json');
    try {
      const outcome = await runTraining({
        run,
        recipe,
        registry,
        data,
        checkpoints: { path, every: undefined, timer: checkpointTimer(0) },
        resume: undefined,
        progress: channelOf.progress,
        channel: channelOf.channel,
        backend: 'cpu',
        ...(clock ? { clock } : {}),
      });
      return { outcome, path };
    } finally {
      run.dispose?.();
      run.model.dispose();
      data.dispose();
    }
  }

  it('stops after the step that saw the flag, has the channel write that step and reports the signal', async () => {
    const before = tf.memory().numTensors;
    const fake = recordingChannel(3, false);
    const { outcome, path } = await trainUntilStopped(fake);
    expect(outcome).toMatchObject({ status: 'finished', stoppedBy: 'signal', signal: 'SIGTERM', lastCheckpointStep: 3 });
    if (outcome.status === 'finished') expect(outcome.result).toMatchObject({ status: 'aborted', steps: 3 });
    expect(fake.record.begun).toEqual([{ method: 'realnvp', backend: 'cpu', steps: 40, startStep: 0, checkpointPath: path }]);
    expect(fake.record.snapshots).toEqual([]);
    expect(fake.record.writes.map((w) => [w.path, w.step])).toEqual([[path, 3]]);
    expect(decodedStep(fake.record.writes[0]!.bytes!)).toBe(3);
    expect(fake.record.ended).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with long steps, offers every completed step as a snapshot and has the last one written without encoding it again', async () => {
    const before = tf.memory().numTensors;
    const fake = recordingChannel(4, true);
    const alwaysLong: StepClock = { stepEnded: () => undefined, longSteps: true };
    const { outcome, path } = await trainUntilStopped(fake, alwaysLong);
    expect(outcome).toMatchObject({ status: 'finished', stoppedBy: 'signal', signal: 'SIGTERM', lastCheckpointStep: 4 });
    expect(fake.record.snapshots.map((s) => s.step)).toEqual([1, 2, 3]);
    expect(fake.record.snapshots.map((s) => decodedStep(s.bytes))).toEqual([1, 2, 3]);
    // Step 4 saw the flag: its checkpoint is wanted, so it is written (with its bytes) rather than offered.
    expect(fake.record.writes.map((w) => [w.path, w.step, w.bytes === undefined])).toEqual([[path, 4, false]]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a stop heard while a snapshot is handed over has that snapshot written (not encoded twice)', async () => {
    const before = tf.memory().numTensors;
    const fake = recordingChannel(Infinity, true);
    let stop: ((signal: 'SIGINT' | 'SIGTERM') => void) | undefined;
    fake.channel.begin = (info, onStop) => void ((stop = onStop), fake.record.begun.push(info));
    const offer = fake.channel.offerSnapshot;
    // The main thread's message arrives while step 2's snapshot goes out, before step 3 starts.
    fake.channel.offerSnapshot = (step, bytes) => (offer(step, bytes), step === 2 ? stop?.('SIGINT') : undefined);
    const { outcome, path } = await trainUntilStopped(fake, { stepEnded: () => undefined, longSteps: true });
    expect(outcome).toMatchObject({ status: 'finished', stoppedBy: 'signal', signal: 'SIGINT', lastCheckpointStep: 2 });
    expect(fake.record.snapshots.map((s) => s.step)).toEqual([1, 2]);
    expect(fake.record.writes.map((w) => [w.path, w.step, w.bytes === undefined])).toEqual([[path, 2, true]]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
