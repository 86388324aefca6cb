// Fault injection for `pfm train` on the newer paths: kill -9 during the training of an image
// model (a conv-generator with EMA on 8×8 images) and of a class-conditional model (--labels),
// then --resume. resumeFrom promises a resumed run bitwise equal to an uninterrupted one on the
// same backend, EMA weights included; these tests hold the command line to that promise.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, decodeCheckpoint, disposeCheckpoint } from '@pfm/core';
import { readDataFile, readModelFile, writeDataFile } from '@pfm/core/node';
import { describe, expect, it } from 'vitest';
import { errorLineOf, runPfm, startPfm } from '../test-support/run-pfm.js';
import { readJson, scratchDir } from '../test-support/scratch.js';

const STEPS = 40;
const CHECKPOINT_EVERY = 5;

/** 64 grey 8 × 8 images with values in [0, 1], deterministic. */
async function writeTinyImages(path: string): Promise<void> {
  const values = Float32Array.from({ length: 64 * 64 }, (_, k) => {
    const [i, y, x] = [Math.floor(k / 64), Math.floor((k % 64) / 8), k % 8];
    return 0.5 + 0.5 * Math.sin((x + i) * 0.7) * Math.cos((y - i) * 0.5);
  });
  await writeDataFile(path, { rows: 64, cols: 64, values, shape: [8, 8, 1] });
}

/** 256 points in 8 clusters on a circle of radius 2 (uniform jitter of width 0.1) and their cluster labels (a `label` column). */
function writeLabelledPoints(data: string, labels: string): void {
  const rng = createRng(1);
  const rows: string[] = [];
  const classes: number[] = [];
  for (let i = 0; i < 256; i++) {
    const k = i % 8;
    const angle = (2 * Math.PI * k) / 8;
    rows.push(`${(2 * Math.cos(angle) + 0.1 * (rng.next() - 0.5)).toFixed(5)},${(2 * Math.sin(angle) + 0.1 * (rng.next() - 0.5)).toFixed(5)}`);
    classes.push(k);
  }
  writeFileSync(data, `${rows.join('\n')}\n`);
  writeFileSync(labels, `label\n${classes.join('\n')}\n`);
}

/**
 * Trains `args` with a checkpoint every {@link CHECKPOINT_EVERY} steps, sends SIGKILL once the
 * progress line of a step in the second quarter is out, and checks what the kill left: no model
 * and no temporary beside the checkpoint, which decodes and holds a completed step before the
 * end (and averaged weights when `ema`). Returns the checkpoint's step.
 */
async function killMidRun(dir: string, args: string[], out: string, ema: boolean): Promise<number> {
  const run = startPfm([...args, '--checkpoint-every', String(CHECKPOINT_EVERY), '--out', out]);
  // On a pipe a progress line comes every tenth of the run (every 4 steps of 40).
  await run.waitForStderr(/^step +(1[2-9]|2\d)\/40 /m);
  run.child.kill('SIGKILL');
  const killed = await run.done;
  expect(killed.signal, killed.stderr).toBe('SIGKILL');
  const names = readdirSync(dir).filter((n) => n.startsWith('model.json') || n.startsWith('.pfm-tmp-'));
  expect(names).toEqual(['model.json.ckpt.json']);
  const before = tf.memory().numTensors;
  const { checkpoint, recipe } = decodeCheckpoint(readFileSync(`${out}.ckpt.json`, 'utf8'), `${out}.ckpt.json`);
  const step = checkpoint.step;
  try {
    expect(step % CHECKPOINT_EVERY).toBe(0);
    expect(step).toBeGreaterThanOrEqual(CHECKPOINT_EVERY);
    expect(step).toBeLessThan(STEPS);
    expect(checkpoint.lossHistory).toHaveLength(step);
    expect(recipe).toMatchObject({ steps: STEPS });
    if (ema) {
      // θ̄ beside θ, one tensor per variable, and already apart from θ (the average lags).
      const [raw, averaged] = [checkpoint.variables.generator!, checkpoint.ema?.generator];
      expect(averaged?.length).toBe(raw.length);
      const apart = raw.some((v, i) => tf.tidy(() => tf.any(tf.notEqual(v, averaged![i]!)).dataSync()[0] === 1));
      expect(apart).toBe(true);
    } else {
      expect(checkpoint.ema).toBeUndefined();
    }
  } finally {
    disposeCheckpoint(checkpoint);
  }
  expect(tf.memory().numTensors).toBe(before);
  return step;
}

/** Resumes from `out`'s checkpoint to the end; checks the summary line and the record of the resume. */
async function resumeToEnd(args: string[], out: string, step: number): Promise<void> {
  const resumed = await runPfm([...args, '--resume', `${out}.ckpt.json`, '--quiet', '--out', out]);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stderr).toBe('');
  expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'completed', steps: STEPS, model: out });
  expect(readJson(out).training).toMatchObject({ status: 'completed', steps: STEPS, resumedAtStep: step, backend: 'cpu' });
}

describe('pfm train: kill -9 and resume on images and conditions', () => {
  it('an image model (conv-generator, EMA, energy): the resumed run ends at step 40 with the eventShape and the averaged weights of the uninterrupted run, bit for bit', async () => {
    const dir = scratchDir();
    const data = join(dir, 'images.npy');
    await writeTinyImages(data);
    const recipe = join(dir, 'recipe.json');
    const ema = { decay: 0.9, warmupSteps: 5 };
    writeFileSync(recipe, JSON.stringify({ method: 'energy', model: { type: 'conv-generator', channels: [8, 4], groups: 4 }, steps: STEPS, batchSize: 16, seed: 5, ema }));
    const args = ['train', '--data', data, '--config', recipe, '--backend', 'cpu'];

    const reference = join(dir, 'reference.json');
    const whole = await runPfm([...args, '--quiet', '--out', reference]);
    expect(whole.code, whole.stderr).toBe(0);

    const out = join(dir, 'model.json');
    const step = await killMidRun(dir, args, out, true);
    await resumeToEnd(args, out, step);

    const model = await readModelFile(out);
    expect([model.method, model.dim, model.eventShape]).toEqual(['energy', 64, [8, 8, 1]]);
    expect(model.training?.recipe).toMatchObject({ ema, steps: STEPS });
    expect(model.maps.generator?.type).toBe('conv-generator');
    // The saved weights are θ̄: equal to the uninterrupted run's, which a restarted average or
    // the raw θ would not be.
    expect(readJson(out).maps).toEqual(readJson(reference).maps);
    expect(readJson(out).eventShape).toEqual([8, 8, 1]);

    // The resumed model loads in pfm sample and draws images of its shape.
    const r = await runPfm(['sample', '--model', out, '-n', '6', '--seed', '3', '--backend', 'cpu', '--out', join(dir, 'samples.npy')]);
    expect(r.code, r.stderr).toBe(0);
    const samples = await readDataFile(join(dir, 'samples.npy'));
    expect([samples.rows, samples.shape]).toEqual([6, [8, 8, 1]]);
  });

  it('a class-conditional flow (--labels): the resumed run is the uninterrupted one and still samples per class; other labels are refused', async () => {
    const dir = scratchDir();
    const data = join(dir, 'points.csv');
    const labels = join(dir, 'labels.csv');
    writeLabelledPoints(data, labels);
    const recipe = join(dir, 'recipe.json');
    writeFileSync(recipe, JSON.stringify({ method: 'flow-matching', options: { conditionDropout: 0.2 }, model: { hidden: [16] }, steps: STEPS, batchSize: 32, seed: 2 }));
    const args = ['train', '--data', data, '--labels', labels, '--config', recipe, '--backend', 'cpu'];

    const reference = join(dir, 'reference.json');
    const whole = await runPfm([...args, '--quiet', '--out', reference]);
    expect(whole.code, whole.stderr).toBe(0);

    const out = join(dir, 'model.json');
    const step = await killMidRun(dir, args, out, false);

    // The checkpoint belongs to these labels: the same points with other labels (every label
    // moved to the next class, so the class count is the same) is another data set.
    const text = readFileSync(labels, 'utf8').split('\n');
    const shifted = join(dir, 'shifted.csv');
    writeFileSync(shifted, [text[0], ...text.slice(1).map((l) => (l === '' ? l : String((Number(l) + 1) % 8)))].join('\n'));
    const other = await runPfm(['train', '--data', data, '--labels', shifted, '--config', recipe, '--backend', 'cpu', '--resume', `${out}.ckpt.json`, '--out', join(dir, 'other.json')]);
    expect(errorLineOf(other)).toMatch(
      new RegExp(`^pfm train: --resume ${`${out}.ckpt.json`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the checkpoint was made with other conditions \\(256 rows, hash ([0-9a-f]{16})\\) than this run's \\(256 rows, hash (?!\\1)[0-9a-f]{16}\\); resume with the same labels or context rows$`),
    );
    expect(existsSync(join(dir, 'other.json'))).toBe(false);

    await resumeToEnd(args, out, step);
    const model = await readModelFile(out);
    expect(model.condition).toEqual({ kind: 'class', classes: 8 });
    expect(readJson(out).maps).toEqual(readJson(reference).maps);

    // pfm sample --class k from the resumed model: the condition reaches the field (another
    // class, the same noise: other samples).
    const sample = async (k: number) => {
      const file = join(dir, `class-${k}.csv`);
      const r = await runPfm(['sample', '--model', out, '-n', '20', '--class', String(k), '--guidance', '2', '--steps', '4', '--seed', '9', '--backend', 'cpu', '--out', file]);
      expect(r.code, r.stderr).toBe(0);
      return Array.from((await readDataFile(file)).values);
    };
    const [zero, four] = [await sample(0), await sample(4)];
    expect([zero.length, four.length]).toEqual([40, 40]);
    expect(four).not.toEqual(zero);
  });
});
