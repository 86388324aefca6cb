// [distill] Distillation of a trained flow into a fast sampler.
//   direct (Liu et al. 2023, §2.3; Luhman & Luhman 2021): a one-step map ψ regressed on the flow's
//     endpoints, min_ψ E_z ‖ψ(z) − χ₁(z)‖², over a fixed set of pairs (z, χ₁(z)) made once by the teacher;
//   progressive (Salimans & Ho 2022, Algorithm 2, with Euler steps of the velocity in place of DDIM):
//     round r trains a student v_S to take one Euler step of size h where the teacher takes two of
//     size h/2, target (x'' − x)/h with x' = x + (h/2) v_T(t, x), x'' = x' + (h/2) v_T(t + h/2, x'),
//     x = x_t on the linear path; the student becomes the next teacher and the steps halve.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineObjective, type ModelParts, type ObjectiveContext, type PushforwardMap, type Registry, type Rng, type VectorField, IMAGE_GENERATOR_DEFAULTS, onImages } from '@pfm/core';
import { flowModel } from '../models/flow-model.js';
import { oneStepModel } from '../models/one-step-model.js';
import { isTransportModel, type TransportModel } from '../models/transport-model.js';
import { buildGenerator } from './build-generator.js';
import { mapRole } from './map-role.js';
import { roundOfStep } from './round-of-step.js';
import { teacherModel } from './teacher-model.js';

/** Options of `distill` (the teacher content, the mode and its settings). */
export const distillSchema = z
  .object({
    /**
     * The teacher: the content of a trained flow's model file (ModelFileContent or the file's JSON
     * document). Needed to train, not stored with the distilled model.
     */
    teacher: z.record(z.string(), z.unknown()).optional(),
    /** `direct`: one-step map on (z, χ₁(z)) pairs; `progressive`: halve the Euler steps each round. */
    mode: z.enum(['direct', 'progressive']).default('direct'),
    /** direct: number of (z, χ₁(z)) pairs made by the teacher. */
    pairs: z.number().int().positive().default(4096),
    /** direct: the teacher's integrator and steps for χ₁ (default: the teacher's own sampler). */
    teacherIntegrator: z.string().min(1).optional(),
    teacherSteps: z.number().int().positive().optional(),
    /** progressive: Euler steps of the teacher in round 0 (a power-of-two multiple of finalSteps). */
    startSteps: z.number().int().positive().default(64),
    /** progressive: Euler steps of the final student. */
    finalSteps: z.number().int().positive().default(1),
  })
  .strict();

/** Parsed options of `distill`. */
export type DistillOptions = z.output<typeof distillSchema>;

/** The options saved with the distilled model: everything but the teacher's weights. */
function storedOptions(options: DistillOptions): DistillOptions {
  const { teacher: _teacher, ...rest } = options;
  return rest;
}

function progressiveRounds(options: DistillOptions): number {
  const ratio = options.startSteps / options.finalSteps;
  const rounds = Math.round(Math.log2(ratio));
  if (!Number.isInteger(ratio) || rounds < 1 || 2 ** rounds !== ratio) {
    throw new RangeError(
      `distill: "startSteps" (${options.startSteps}) must be finalSteps (${options.finalSteps}) times a power of two ≥ 2`,
    );
  }
  return rounds;
}

function progressiveModel(options: DistillOptions, student: VectorField, registry: Registry, extra: Record<string, unknown>): TransportModel {
  return flowModel({
    method: 'distill',
    options: storedOptions(options),
    dim: student.dim,
    registry,
    maps: { velocity: student },
    drift: (t, x) => student.evaluate(t, x),
    sampler: { integrator: 'euler', steps: options.finalSteps },
    extra: () => extra,
  });
}

function directModel(options: DistillOptions, generator: PushforwardMap, extra: Record<string, unknown>): TransportModel {
  return oneStepModel({ method: 'distill', options: storedOptions(options), dim: generator.outputDim, generator, extra: () => extra });
}

/** Registry entry `distill`. */
export const distill = defineObjective({
  id: 'distill',
  description: "Distil a trained flow (options.teacher: its model file's content) into a one-step map, or progressively halve its Euler steps",
  schema: distillSchema,
  recipeDefaults: onImages(IMAGE_GENERATOR_DEFAULTS),
  create(options, ctx) {
    const teacher = teacherModel(options.teacher, ctx.registry, 'distill');
    try {
      if (teacher.dim !== ctx.dim) throw new RangeError(`distill: the teacher has dimension ${teacher.dim}, the data ${ctx.dim}`);
      if (!isTransportModel(teacher)) {
        throw new TypeError(`distill: a ${teacher.method} teacher cannot map given noise (no transport(z)); distil a flow (flow-matching, rectified-flow, score-sde, cnf, …)`);
      }
      const info = { method: teacher.method, nfe: teacher.nfe };
      return options.mode === 'direct' ? directRun(options, ctx, teacher, info) : progressiveRun(options, ctx, teacher, info);
    } finally {
      teacher.dispose();
    }
  },
  load(parts: ModelParts<DistillOptions>) {
    const extra = { ...parts.extra };
    if (parts.options.mode === 'direct') return directModel(parts.options, mapRole('distill', parts, 'generator', 'map'), extra);
    return progressiveModel(parts.options, mapRole('distill', parts, 'velocity', 'field'), parts.registry, extra);
  },
});

function directRun(
  options: DistillOptions,
  ctx: ObjectiveContext,
  teacher: TransportModel,
  info: { method: string; nfe: number },
) {
  const sampling = {
    ...(options.teacherIntegrator !== undefined ? { integrator: options.teacherIntegrator } : {}),
    ...(options.teacherSteps !== undefined ? { steps: options.teacherSteps } : {}),
  };
  const teacherNfe = teacher.nfeFor(sampling);
  const generator = buildGenerator(ctx.registry, ctx.dim, ctx.network, ctx.rng.fold(0), ctx.eventShape);
  const noise = ctx.rng.fold(1).normal([options.pairs, ctx.dim]) as tf.Tensor2D;
  let target: tf.Tensor2D;
  try {
    target = tf.tidy(() => teacher.transport(noise, sampling));
  } catch (error) {
    generator.dispose();
    noise.dispose();
    throw error;
  }
  const extra = { teacher: { ...info, nfe: teacherNfe } };
  return {
    players: [
      {
        name: 'generator',
        variables: generator.variables,
        loss: ({ batch, rng }: { batch: tf.Tensor2D; rng: Rng }) =>
          tf.tidy(() => {
            const n = batch.shape[0];
            const picks = rng.fold(4);
            const index = tf.tensor1d(Int32Array.from({ length: n }, () => picks.int(options.pairs)), 'int32');
            const z0 = tf.gather(noise, index) as tf.Tensor2D;
            return tf.mean(tf.square(tf.sub(generator.apply(z0), tf.gather(target, index)))) as tf.Scalar;
          }),
      },
    ],
    model: directModel(options, generator, extra),
    dispose() {
      noise.dispose();
      target.dispose();
    },
  };
}

function progressiveRun(
  options: DistillOptions,
  ctx: ObjectiveContext,
  teacher: TransportModel,
  info: { method: string; nfe: number },
) {
  const rounds = progressiveRounds(options);
  const source = teacher.maps.velocity as VectorField | undefined;
  if (!source || typeof source.evaluate !== 'function') {
    throw new TypeError(`distill: progressive distillation needs a teacher with a "velocity" field (flow-matching, rectified-flow, stochastic-interpolant, cnf), got ${teacher.method}`);
  }
  const spec = source.toSpec();
  const make = () => ctx.registry.create('map', { id: spec.type, options: spec.options }, { rng: ctx.rng }, { id: 'teacher', options: 'teacher' }) as VectorField;
  const student = make();
  const frozen = make();
  tf.tidy(() => {
    student.variables.forEach((v, i) => v.assign(source.variables[i]!));
    frozen.variables.forEach((v, i) => v.assign(source.variables[i]!));
  });
  let frozenRound = 0;
  const extra = { teacher: info, rounds };
  const studentSteps = (round: number) => options.startSteps / 2 ** (round + 1);

  return {
    players: [
      {
        name: 'velocity',
        variables: student.variables,
        loss: ({ batch, rng, step, totalSteps }: { batch: tf.Tensor2D; rng: Rng; step: number; totalSteps: number }) =>
          tf.tidy(() => {
            const [n, d] = batch.shape;
            const m = studentSteps(roundOfStep(step, totalSteps, rounds));
            const h = 1 / m;
            const picks = rng.fold(1);
            const times = Float32Array.from({ length: n }, () => picks.int(m) * h);
            const t = tf.tensor1d(times);
            const tc = tf.reshape(t, [n, 1]);
            const z0 = rng.fold(0).normal([n, d]);
            const x = tf.add(tf.mul(tf.sub(1, tc), z0), tf.mul(tc, batch)) as tf.Tensor2D;
            // The frozen teacher is not among this player's variables: its outputs are constants here.
            const half = frozen.evaluate(t, x);
            const mid = tf.add(x, tf.mul(half, h / 2)) as tf.Tensor2D;
            const second = frozen.evaluate(tf.add(t, h / 2), mid);
            const target = tf.div(tf.sub(tf.add(mid, tf.mul(second, h / 2)), x), h);
            return tf.mean(tf.square(tf.sub(student.evaluate(t, x), target))) as tf.Scalar;
          }),
      },
    ],
    model: progressiveModel(options, student, ctx.registry, extra),
    beforeStep(step: number) {
      const round = roundOfStep(step, ctx.steps, rounds);
      if (round !== frozenRound) {
        tf.tidy(() => frozen.variables.forEach((v, i) => v.assign(student.variables[i]!)));
        frozenRound = round;
      }
    },
    state() {
      return {
        json: { frozenRound },
        tensors: Object.fromEntries(frozen.variables.map((v, i) => [`frozen${i}`, tf.clone(v)])),
      };
    },
    restore(state: { json: Record<string, unknown>; tensors: Record<string, tf.Tensor> }) {
      const r = state.json.frozenRound;
      if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r >= rounds) {
        throw new RangeError(`distill: checkpoint frozenRound must be an integer in [0, ${rounds - 1}], got ${String(r)}`);
      }
      frozen.variables.forEach((v, i) => {
        const saved = state.tensors[`frozen${i}`];
        if (!saved || saved.shape.join(',') !== v.shape.join(',')) {
          throw new RangeError(`distill: checkpoint tensor "frozen${i}" must have shape [${v.shape.join(', ')}]`);
        }
        v.assign(saved);
      });
      frozenRound = r;
    },
    dispose() {
      frozen.dispose();
    },
  };
}
