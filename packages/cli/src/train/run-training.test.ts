import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRegistry, createTrainingRun, disposeCheckpoint, parseRecipe } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { cliPlugins } from '../plugins.js';
import { scratchDir } from '../test-support/scratch.js';
import { readCheckpointFile } from './checkpoint-store.js';
import { checkpointTimer } from './checkpoint-timer.js';
import { ProgressReporter } from './progress-reporter.js';
import { runTraining } from './run-training.js';

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
