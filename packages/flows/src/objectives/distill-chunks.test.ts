import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, createTrainingRun, gaussian, modelToContent, parseRecipe, planMemory, trainRecipe, type TrainingRun } from '@pfm/core';
import { labelledEightGaussians } from '@pfm/core/testing';
import { linearTeacherContent } from '../test-support/linear-teacher.js';
import { testRegistry } from '../test-support/registry.js';

// Direct distillation makes its (z, χ₁(z)) pairs `teacherChunkRows` rows at a time. Each row's
// endpoint depends on its own noise (and condition) only, so the chunk size must not change the
// pairs, and the memory of making them must follow the chunk, not the number of pairs.

const registry = testRegistry();
const PAIRS = 64;

function distillRun(teacher: Record<string, unknown>, data: tf.Tensor2D, options: Record<string, unknown>, condition?: { spec: { kind: 'class'; classes: number }; rows: tf.Tensor }): TrainingRun {
  const recipe = parseRecipe({ method: 'distill', options: { teacher, pairs: PAIRS, ...options }, model: { hidden: [16] }, batchSize: 32, steps: 1, seed: 5 }, registry, 'config', { dim: 2 });
  const run = createTrainingRun(recipe, data, registry, condition ? { condition } : {});
  // The pairs are made by the run's set-up, which `train` calls before its first step.
  run.setup?.();
  return run;
}

/** The generator's loss on three fixed draws of pairs (same student weights, same picks): equal iff the picked targets are. */
function lossesOf(run: TrainingRun, data: tf.Tensor2D, rows?: tf.Tensor): number[] {
  const player = run.players[0]!;
  return [0, 1, 2].map((k) => {
    const batch = tf.slice(data, [0, 0], [PAIRS, 2]) as tf.Tensor2D;
    const condition = rows ? tf.slice(rows, [0], [PAIRS]) : undefined;
    const loss = player.loss({ batch, ...(condition ? { condition } : {}), rng: createRng(100 + k), step: 0, totalSteps: 1 });
    const value = loss.dataSync()[0]!;
    tf.dispose([batch, loss, ...(condition ? [condition] : [])]);
    return value;
  });
}

function expectClose(got: number[], want: number[]): void {
  got.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want[i]!))));
}

describe('distill: the teacher makes its pairs in chunks', () => {
  it('an unconditional teacher gives the same pairs in chunks of 7 as in one pass', () => {
    const before = tf.memory().numTensors;
    const data = gaussian({ dim: 2 }).sample(PAIRS, createRng(1)) as tf.Tensor2D;
    const teacher = linearTeacherContent(registry) as unknown as Record<string, unknown>;
    const losses = [PAIRS, 7].map((teacherChunkRows) => {
      const run = distillRun(teacher, data, { teacherChunkRows });
      const values = lossesOf(run, data);
      run.dispose?.();
      run.model.dispose();
      return values;
    });
    expectClose(losses[1]!, losses[0]!);
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('makes the pairs in its set-up, whose peak follows the chunk and stays within the memory plan (20 rk4 steps of 512 pairs: one pass against chunks of 16)', async () => {
    const before = tf.memory().numTensors;
    const data = gaussian({ dim: 2 }).sample(PAIRS, createRng(1)) as tf.Tensor2D;
    const teacher = linearTeacherContent(registry) as unknown as Record<string, unknown>;
    const measure = async (teacherChunkRows: number) => {
      const recipe = parseRecipe({ method: 'distill', options: { teacher, pairs: 512, teacherChunkRows }, model: { hidden: [4] }, batchSize: 32, steps: 1, seed: 5 }, registry, 'config', { dim: 2 });
      let run: TrainingRun | undefined;
      // tf.profile hands back one shared record, overwritten by the next profile: read each at once.
      const built = (await tf.profile(() => {
        run = createTrainingRun(recipe, data, registry);
      })).newBytes;
      const plan = await planMemory(run!, data, { batchSize: 32 });
      const start = tf.memory().numBytes;
      const setup = (await tf.profile(() => run!.setup!())).peakBytes - start;
      // A second call makes nothing.
      const again = (await tf.profile(() => run!.setup!())).kernels.length;
      const losses = lossesOf(run!, data);
      run!.dispose?.();
      run!.model.dispose();
      return { built, setup, again, plan, losses };
    };
    const whole = await measure(512);
    const chunked = await measure(16);
    // Building the run integrates nothing: it keeps the noise and zero endpoints, 2 · 512 · 2 floats, and the student.
    expect(whole.built).toBeLessThan(16 * 1024);
    expect(whole.again).toBe(0);
    // One rk4 stage of 512 rows is 4 KiB and a step holds several, so the whole pass peaks well above the chunked one.
    expect(chunked.setup).toBeLessThan(whole.setup);
    expect(whole.setup - chunked.setup).toBeGreaterThan(8 * 1024);
    for (const { plan, setup } of [whole, chunked]) {
      expect(plan.setupPass).toBe("distillation pairs (the teacher's endpoints)");
      expect(plan.stateBytes).toBe(4 * 2 * 512 * 2);
      // The plan's pass (held rows and one chunk of the teacher's solve, measured on the teacher) bounds the measured peak.
      const planned = plan.setupBytes - plan.dataBytes - 4 * plan.parameters - plan.stateBytes;
      expect(planned).toBeGreaterThanOrEqual(setup);
      expect(planned).toBeLessThan(3 * setup);
    }
    expect(chunked.plan.setupBytes).toBeLessThan(whole.plan.setupBytes);
    expectClose(chunked.losses, whole.losses);
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a conditional teacher gives the same pairs in chunks of 5 as in one pass', async () => {
    const before = tf.memory().numTensors;
    const { x, labels } = labelledEightGaussians(PAIRS, 3);
    const condition = { spec: { kind: 'class' as const, classes: 8 }, rows: labels };
    const { model: labelled } = await trainRecipe({ method: 'flow-matching', model: { hidden: [8] }, steps: 2, batchSize: 32, seed: 0 }, x, { registry, condition });
    const teacher = modelToContent(labelled, registry) as unknown as Record<string, unknown>;
    labelled.dispose();
    const losses = [PAIRS, 5].map((teacherChunkRows) => {
      const run = distillRun(teacher, x, { teacherChunkRows, student: 'generator' }, condition);
      const values = lossesOf(run, x, labels);
      run.dispose?.();
      run.model.dispose();
      return values;
    });
    expectClose(losses[1]!, losses[0]!);
    tf.dispose([x, labels]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses teacherChunkRows in progressive mode, where no pairs are made', () => {
    const data = gaussian({ dim: 2 }).sample(32, createRng(1)) as tf.Tensor2D;
    const teacher = linearTeacherContent(registry) as unknown as Record<string, unknown>;
    expect(() => distillRun(teacher, data, { mode: 'progressive', startSteps: 2, teacherChunkRows: 8 })).toThrow('options.teacherChunkRows: 8 sets how mode "direct" makes its pairs; progressive mode makes none');
    data.dispose();
  });
});
