import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { decodeCheckpoint, disposeCheckpoint } from '@pfm/core';
import { describe, expect, inject, it } from 'vitest';
import { startPfm, type PfmResult } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

const fx = inject('fixtures');

// A step of several seconds on the cpu backend: flow matching of a 64 → 1024 → 1024 → 64 MLP on a
// batch of 512 rows (about 3 GFLOP forward and backward in plain JavaScript). The recipe asks
// for far more steps than ever run: every test stops it during its second step.
const WIDE_RECIPE = { method: 'flow-matching', model: { hidden: [1024, 1024] }, steps: 50, batchSize: 512, seed: 1 };

/** 512 rows of 64 columns, deterministic. */
function writeWideData(path: string): void {
  const rows = Array.from({ length: 512 }, (_, i) => Array.from({ length: 64 }, (_, j) => Math.sin(i * 64 + j).toFixed(4)).join(','));
  writeFileSync(path, `${rows.join('\n')}\n`);
}

/** Sends `signal` to a run once it is `afterMs` into its work, and measures the time to its exit. */
async function stopAfter(run: ReturnType<typeof startPfm>, signal: NodeJS.Signals, afterMs: number): Promise<{ result: PfmResult; exitMs: number }> {
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  const sent = performance.now();
  run.child.kill(signal);
  const result = await run.done;
  return { result, exitMs: performance.now() - sent };
}

/** Starts a long `pfm train`, sends `signal` during its second step; checks what every stop must leave. */
async function stopTrainingMidStep(signal: NodeJS.Signals, code: number): Promise<void> {
  const dir = scratchDir();
  const data = join(dir, 'wide.csv');
  const recipe = join(dir, 'wide.json');
  const out = join(dir, 'model.json');
  writeWideData(data);
  writeFileSync(recipe, JSON.stringify(WIDE_RECIPE));
  const run = startPfm(['train', '--data', data, '--config', recipe, '--backend', 'cpu', '--out', out]);
  await run.waitForStderr(/^step +1\/50 /m);
  // After step 1, its snapshot is encoded and handed over (a step this long is measured as
  // long); a moment later step 2 is under way, with seconds to go.
  const { result, exitMs } = await stopAfter(run, signal, 1500);
  expect(result.code, result.stderr).toBe(code);
  // The grace period (3 s) and the write of the snapshot; not the rest of the step.
  expect(exitMs, result.stderr).toBeLessThan(5500);
  expect(result.stderr).toContain(`${signal}: stopping after this step and writing a checkpoint`);
  const line = JSON.parse(result.stdout) as { status: string; steps: number; checkpoint: string };
  expect(line).toMatchObject({ status: 'interrupted', checkpoint: `${out}.ckpt.json`, backend: 'cpu' });
  expect(result.stderr).toContain(`--resume ${out}.ckpt.json`);
  // The checkpoint of the last completed step, complete and loadable; no model, no temporaries.
  expect(readdirSync(dir).sort()).toEqual(['model.json.ckpt.json', 'wide.csv', 'wide.json']);
  const before = tf.memory().numTensors;
  const { checkpoint, recipe: saved } = decodeCheckpoint(readFileSync(`${out}.ckpt.json`, 'utf8'), `${out}.ckpt.json`);
  expect(checkpoint.step).toBe(line.steps);
  expect(checkpoint.step).toBeGreaterThanOrEqual(1);
  expect(checkpoint.step).toBeLessThan(WIDE_RECIPE.steps);
  expect(checkpoint.lossHistory).toHaveLength(checkpoint.step);
  expect(saved).toMatchObject({ method: 'flow-matching', batchSize: 512, steps: 50 });
  disposeCheckpoint(checkpoint);
  expect(tf.memory().numTensors).toBe(before);
}

describe('signals stop a command within seconds, even mid-step', () => {
  it('SIGTERM during a long training step: exit 143 within ~5 s, the last completed step checkpointed, no model, no temporaries', async () => {
    await stopTrainingMidStep('SIGTERM', 143);
  });

  it('Ctrl-C (SIGINT) during a long training step: the same, with exit 130', async () => {
    await stopTrainingMidStep('SIGINT', 130);
  });

  it('SIGTERM during a long pfm sample: exit 143 at once, no output file and no temporary', async () => {
    const dir = scratchDir();
    const out = join(dir, 'samples.csv');
    // Two million samples take tens of seconds on the cpu backend.
    const run = startPfm(['sample', '--model', fx.model, '-n', '2000000', '--backend', 'cpu', '--out', out]);
    const { result, exitMs } = await stopAfter(run, 'SIGTERM', 2000);
    expect(result.code, result.stderr).toBe(143);
    expect(exitMs).toBeLessThan(2000);
    expect(result.stderr).toMatch(/^SIGTERM: stopped/m);
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
