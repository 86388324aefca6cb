import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, gaussian, modelFromContent, trainRecipe, type Model } from '@pfm/core';
import { isTransportModel } from '../models/transport-model.js';
import { linearFlowEndpoint, linearTeacherContent } from '../test-support/linear-teacher.js';
import { testRegistry } from '../test-support/registry.js';

const registry = testRegistry();

/** RMS distance between a model's map and the exact χ₁ over 500 base points, relative to the RMS of χ₁. */
function relativeError(model: Model, options: Record<string, unknown> = {}): number {
  if (!isTransportModel(model)) throw new Error('not a transport model');
  const z = createRng(77).normal([500, 2]) as tf.Tensor2D;
  const got = tf.tidy(() => model.transport(z, options).arraySync());
  let num = 0;
  let den = 0;
  z.arraySync().forEach((row, k) => {
    linearFlowEndpoint(row).forEach((w, i) => {
      num += (got[k]![i]! - w) ** 2;
      den += w * w;
    });
  });
  z.dispose();
  return Math.sqrt(num / den);
}

describe('distill an exactly known flow', () => {
  it('the teacher (a linear velocity field, 20 rk4 steps) reproduces the closed-form χ₁', () => {
    const teacher = modelFromContent(linearTeacherContent(registry), registry);
    expect(relativeError(teacher)).toBeLessThan(1e-5);
    teacher.dispose();
  });

  it('direct: a one-step network regressed on (z, χ₁(z)) is within 3% of χ₁', async () => {
    const data = gaussian({ dim: 2 }).sample(256, createRng(1));
    const { model } = await trainRecipe(
      {
        method: 'distill',
        options: { teacher: linearTeacherContent(registry), pairs: 2048 },
        model: { hidden: [32, 32], activation: 'silu' },
        optimizer: { name: 'adam', lr: 1e-2, schedule: { name: 'cosine' } },
        steps: 200,
        batchSize: 128,
        seed: 2,
      },
      data,
      { registry },
    );
    expect(model.nfe).toBe(1);
    expect(model.extra!()).toEqual({ teacher: { method: 'flow-matching', nfe: 80 } });
    // χ₁ is affine, which a 2×32 network fits closely on N(0, I) points (measured ≈ 0.007 after 200 steps).
    expect(relativeError(model)).toBeLessThan(0.03);
    model.dispose();
    data.dispose();
  });

  it('progressive: 4 Euler steps halved twice into 1 step beat the teacher’s own one Euler step', async () => {
    const data = gaussian({ dim: 2 }).sample(512, createRng(1));
    const teacher = modelFromContent(linearTeacherContent(registry), registry);
    const teacherOneStep = relativeError(teacher, { integrator: 'euler', steps: 1 });
    const teacherFourSteps = relativeError(teacher, { integrator: 'euler', steps: 4 });
    teacher.dispose();
    const { model } = await trainRecipe(
      {
        method: 'distill',
        options: { teacher: linearTeacherContent(registry), mode: 'progressive', startSteps: 4, finalSteps: 1 },
        optimizer: { name: 'adam', lr: 2e-2, schedule: { name: 'cosine' } },
        steps: 300,
        batchSize: 128,
        seed: 2,
      },
      data,
      { registry },
    );
    expect(model.nfe).toBe(1);
    const student = relativeError(model);
    // One Euler step of the teacher is off by ≈ 30%, four steps by ≈ 7%; the distilled single
    // step inherits the four-step accuracy up to fitting error (measured ≈ 0.068).
    expect(teacherOneStep).toBeGreaterThan(0.2);
    expect(student).toBeLessThan(teacherOneStep / 2);
    expect(student).toBeLessThan(teacherFourSteps + 0.02);
    model.dispose();
    data.dispose();
  });
});
