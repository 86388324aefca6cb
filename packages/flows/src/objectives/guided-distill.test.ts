import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, modelFromContent, modelToContent, trainRecipe } from '@pfm/core';
import { isTransportModel } from '../models/transport-model.js';
import { onOneBackend, labelledEightGaussians, ownModeFraction } from '@pfm/core/testing';
import { testRegistry } from '../test-support/registry.js';

// A whole training run checked by a law on its samples: one backend (see onOneBackend).
const trainingRun = it.runIf(onOneBackend('wasm'));

const spec = { kind: 'class', classes: 8 } as const;

describe('guided distillation of a conditional flow into a one-step map ψ(z | c)', () => {
  trainingRun('the student puts ≥ 98% of its samples in their own mode, matches its guided teacher pair by pair, and its file keeps the condition', async () => {
    const registry = testRegistry();
    const before = tf.memory().numTensors;
    const { x, labels } = labelledEightGaussians(2048, 1);
    const condition = { spec, rows: labels };
    const { model: teacher } = await trainRecipe(
      { method: 'flow-matching', options: { conditionDropout: 0.2, sampler: { integrator: 'euler', steps: 16 } }, model: { hidden: [48, 48] }, steps: 200, batchSize: 128, seed: 0, optimizer: { lr: 3e-3 } },
      x,
      { registry, condition },
    );
    const content = modelToContent(teacher, registry);
    const { model } = await trainRecipe(
      {
        method: 'distill',
        options: { teacher: content, pairs: 1024, teacherGuidance: 2 },
        model: { hidden: [64, 64], activation: 'silu' },
        optimizer: { name: 'adam', lr: 3e-3 },
        steps: 150,
        batchSize: 256,
        seed: 1,
      },
      x,
      { registry, condition },
    );
    expect(model.condition).toEqual(spec);
    expect(model.nfe).toBe(1);
    // Two field evaluations per Euler step at w = 2.
    expect(model.extra!()).toEqual({ teacher: { method: 'flow-matching', nfe: 32 } });
    const wanted = Int32Array.from({ length: 800 }, (_, i) => i % 8);
    const samples = model.sample(800, createRng(9), { condition: wanted });
    // Seeds fixed; the modes are 8 std apart and guidance 2 sharpens them, so a student that learned
    // the condition puts almost nothing in a neighbour's cell (a label-blind one: about 1/8).
    const fraction = ownModeFraction(samples, wanted);
    expect(fraction).toBeGreaterThanOrEqual(0.98);
    // The student regresses the guided teacher's endpoints: same noise, same class, nearby points,
    // closer than the teacher's own samples without guidance are to them.
    const z = createRng(5).normal([400, 2]) as tf.Tensor2D;
    const classes = Int32Array.from({ length: 400 }, (_, i) => (3 * i) % 8);
    if (!isTransportModel(teacher) || !isTransportModel(model)) throw new Error('not transport models');
    const guided = teacher.transport(z, { condition: classes, guidance: 2 });
    const student = model.transport(z, { condition: classes });
    const unguided = teacher.transport(z, { condition: classes });
    const rms = (a: tf.Tensor2D, b: tf.Tensor2D) => Math.sqrt(tf.tidy(() => tf.mean(tf.sum(tf.square(tf.sub(a, b)), 1)).dataSync()[0]!));
    expect(rms(guided, student)).toBeLessThan(rms(guided, unguided) / 2);
    expect(() => model.sample(3, createRng(0))).toThrow('distill.sample: this model is conditional; give "condition" (a class label in 0…7, or one per sample)');
    expect(() => model.sample(3, createRng(0), { condition: 8 })).toThrow('distill.sample: condition: label 8 is not a class of this model; expected an integer in 0…7');
    expect(() => model.sample(3, createRng(0), { condition: 1, guidance: 2 })).toThrow(/guidance" 2 does not apply to a one-step map; it was distilled from its teacher sampled with guidance 2/);
    const loaded = modelFromContent(modelToContent(model, registry), registry, 'm.json');
    expect(loaded.condition).toEqual(spec);
    const again = loaded.sample(800, createRng(9), { condition: wanted });
    expect(Array.from(again.dataSync())).toEqual(Array.from(samples.dataSync()));
    tf.dispose([x, labels, samples, z, guided, unguided, student, again]);
    teacher.dispose();
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 600_000);

  it('teacher-step: the student is a copy of the teacher field, z + v(0, z | c), starting as its one-step Euler sampler; it saves its field under the role student', async () => {
    const registry = testRegistry();
    const before = tf.memory().numTensors;
    const { x, labels } = labelledEightGaussians(256, 2);
    const condition = { spec, rows: labels };
    const { model: teacher } = await trainRecipe(
      { method: 'flow-matching', options: { sampler: { integrator: 'euler', steps: 4 } }, model: { hidden: [8] }, steps: 2, batchSize: 32, seed: 0 },
      x,
      { registry, condition },
    );
    const content = modelToContent(teacher, registry);
    // No training step: the student is still the teacher's one Euler step.
    const { model } = await trainRecipe({ method: 'distill', options: { teacher: content, pairs: 64, student: 'teacher-step' }, steps: 1, batchSize: 16, seed: 1, optimizer: { lr: 1e-12 } }, x, { registry, condition });
    expect(Object.keys(model.maps)).toEqual(['student']);
    expect(model.options.student).toBe('teacher-step');
    if (!isTransportModel(teacher) || !isTransportModel(model)) throw new Error('not transport models');
    const z = createRng(3).normal([16, 2]) as tf.Tensor2D;
    const euler = teacher.transport(z, { condition: 5, integrator: 'euler', steps: 1 });
    const one = model.transport(z, { condition: 5 });
    const gap = Math.max(...Array.from(one.dataSync()).map((v, i) => Math.abs(v - euler.dataSync()[i]!)));
    expect(gap).toBeLessThan(1e-5);
    const loaded = modelFromContent(modelToContent(model, registry), registry, 'm.json');
    const again = loaded.sample(8, createRng(4), { condition: 2 });
    const first = model.sample(8, createRng(4), { condition: 2 });
    expect(Array.from(again.dataSync())).toEqual(Array.from(first.dataSync()));
    tf.dispose([x, labels, z, euler, one, again, first]);
    teacher.dispose();
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('refuses a teacher and data conditioned differently, and teacher guidance the teacher cannot give', async () => {
    const registry = testRegistry();
    const before = tf.memory().numTensors;
    const { x, labels } = labelledEightGaussians(128, 3);
    const condition = { spec, rows: labels };
    const recipe = { method: 'flow-matching', model: { hidden: [8] }, steps: 1, batchSize: 32, seed: 0 };
    const { model: plain } = await trainRecipe(recipe, x, { registry });
    const { model: labelled } = await trainRecipe(recipe, x, { registry, condition });
    const distil = (teacher: typeof plain, options: Record<string, unknown>, withCondition: boolean) =>
      trainRecipe({ method: 'distill', options: { teacher: modelToContent(teacher, registry), pairs: 32, ...options }, steps: 1, batchSize: 16 }, x, {
        registry,
        ...(withCondition ? { condition } : {}),
      });
    await expect(distil(labelled, {}, false)).rejects.toThrow('distill: the teacher is conditioned on class labels 0…7; train the student on data with that condition');
    await expect(distil(plain, {}, true)).rejects.toThrow('distill: the data carry class labels 0…7, but the teacher is conditioned on no condition');
    await expect(distil(plain, { teacherGuidance: 2 }, false)).rejects.toThrow('options.teacherGuidance: 2 needs a conditional teacher');
    // Trained without condition dropout, the teacher has no null branch: only w = 1 is defined.
    await expect(distil(labelled, { teacherGuidance: 2 }, true)).rejects.toThrow(/options\.teacherGuidance: .*needs a model trained with condition dropout/);
    await expect(distil(labelled, { mode: 'progressive', startSteps: 2 }, true)).rejects.toThrow('options.mode: "progressive" takes an unconditional teacher');
    await expect(distil(plain, { mode: 'progressive', startSteps: 2, student: 'teacher-step' }, false)).rejects.toThrow('options.student: "teacher-step" chooses the one-step map of mode "direct"');
    tf.dispose([x, labels]);
    plain.dispose();
    labelled.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
