// [distill] Distillation of a trained flow into a fast sampler.
//   direct (Liu et al. 2023, §2.3; Luhman & Luhman 2021): a one-step map ψ regressed on the flow's
//     endpoints, min_ψ E_z ‖ψ(z) − χ₁(z)‖², over a fixed set of pairs (z, χ₁(z)) made once by the teacher;
//   progressive (Salimans & Ho 2022, Algorithm 2, with Euler steps of the velocity in place of DDIM):
//     round r trains a student v_S to take one Euler step of size h where the teacher takes two of
//     size h/2, target (x'' − x)/h with x' = x + (h/2) v_T(t, x), x'' = x' + (h/2) v_T(t + h/2, x'),
//     x = x_t on the linear path; the student becomes the next teacher and the steps halve.
// With a conditional teacher (guided distillation, Meng et al. 2023, "On distillation of guided
// diffusion models", stage one at a fixed scale) the direct student is a conditional map ψ(z | c)
// regressed on pairs (z, c) ↦ χ₁^w(z | c), the teacher's sample under classifier-free guidance w:
//   min_ψ E_{z, c} ‖ψ(z | c) − χ₁^w(z | c)‖²,  c drawn from the training rows' conditions.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import {
  defineObjective,
  describeConditionSpec,
  isImageShape,
  OptionsError,
  sameConditionSpec,
  type ConditionSpec,
  type ModelParts,
  type ObjectiveContext,
  type PushforwardMap,
  type Registry,
  type Rng,
  type SetupPass,
  type VectorField,
  IMAGE_GENERATOR_DEFAULTS,
  onImages,
  tensorBytes,
} from '@pfm/core';
import { eulerStepMap } from '../models/euler-step-map.js';
import { flowModel } from '../models/flow-model.js';
import { oneStepModel } from '../models/one-step-model.js';
import { isTransportModel, type TransportModel } from '../models/transport-model.js';
import { buildGenerator } from './build-generator.js';
import { mapRole } from './map-role.js';
import { defaultChunkRows } from './rectified-flow.js';
import { roundOfStep } from './round-of-step.js';
import { rowsInChunks } from './rows-in-chunks.js';
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
    /**
     * direct: pairs the teacher integrates at a time (absent: 256 on images, 4,096 on vectors, as a
     * reflow). The memory of making the pairs scales with it; the pairs do not depend on it (up to
     * float rounding of the teacher's kernels).
     */
    teacherChunkRows: z.number().int().positive().optional(),
    /** direct: the teacher's integrator and steps for χ₁ (default: the teacher's own sampler). */
    teacherIntegrator: z.string().min(1).optional(),
    teacherSteps: z.number().int().positive().optional(),
    /** progressive: Euler steps of the teacher in round 0 (a power-of-two multiple of finalSteps). */
    startSteps: z.number().int().positive().default(64),
    /** progressive: Euler steps of the final student. */
    finalSteps: z.number().int().positive().default(1),
    /**
     * direct, conditional teacher: the classifier-free guidance scale w of the teacher's samples
     * χ₁^w(z | c) (default 1: the conditional flow; w ≠ 1 needs a teacher trained with
     * conditionDropout > 0). The student learns the guided law and is sampled without guidance.
     */
    teacherGuidance: z.number().finite().optional(),
    /**
     * direct: the one-step map. `generator`: a new network from the recipe's `model` (an `mlp` on
     * vectors, a `conv-generator` on images); `teacher-step`: a copy of the teacher's velocity
     * field v, ψ(z | c) = z + v(0, z | c), which starts as the teacher's one-step Euler sampler and
     * keeps its architecture (the conditional `unet` of an image teacher). Default: `teacher-step`
     * for a conditional teacher on images (no conditional conv-generator), else `generator`.
     */
    student: z.enum(['generator', 'teacher-step']).optional(),
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

/** How a direct student's guidance is explained when `guidance` is asked of it. */
function guidanceNote(options: DistillOptions): string {
  return `it was distilled from its teacher sampled with guidance ${options.teacherGuidance ?? 1} (options.teacherGuidance); distil again for another scale`;
}

function directModel(options: DistillOptions, generator: PushforwardMap, extra: Record<string, unknown>, field?: VectorField): TransportModel {
  return oneStepModel({
    method: 'distill',
    options: storedOptions(options),
    dim: generator.outputDim,
    generator,
    // Saved under its own role, not `velocity`: the file holds a one-step map z ↦ z + v(0, z | c), and
    // a reader that integrates `velocity` fields (an exporter, a progressive distillation) must not take it for a flow.
    ...(field !== undefined ? { maps: { student: field } } : {}),
    extra: () => extra,
    guidanceNote: guidanceNote(options),
  });
}

/** The student a direct run builds: the option, else teacher-step for a conditional image teacher. */
function studentKind(options: DistillOptions, condition: ConditionSpec | undefined, eventShape: readonly number[] | undefined): 'generator' | 'teacher-step' {
  return options.student ?? (condition !== undefined && isImageShape(eventShape) ? 'teacher-step' : 'generator');
}

/** Checks that the teacher and the data are conditioned alike and the options fit the mode; errors name what to change. */
function checkTeacherCondition(options: DistillOptions, teacher: TransportModel, ctx: ObjectiveContext): void {
  if (!sameConditionSpec(teacher.condition, ctx.condition)) {
    if (teacher.condition !== undefined && ctx.condition === undefined) {
      throw new OptionsError(
        `distill: the teacher is conditioned on ${describeConditionSpec(teacher.condition)}; train the student on data with that condition (the labels the teacher learned from) so it learns ψ(z | c)`,
      );
    }
    throw new OptionsError(
      `distill: the data carry ${describeConditionSpec(ctx.condition)}, but the teacher is conditioned on ${describeConditionSpec(teacher.condition)}; distil a teacher trained on the same condition`,
    );
  }
  if (teacher.condition === undefined && options.teacherGuidance !== undefined) {
    throw new OptionsError(`bad options for objective "distill": options.teacherGuidance: ${options.teacherGuidance} needs a conditional teacher (trained with labels and conditionDropout > 0); this ${teacher.method} teacher is unconditional`);
  }
  if (options.mode === 'progressive' && options.student !== undefined) {
    throw new OptionsError(`bad options for objective "distill": options.student: "${options.student}" chooses the one-step map of mode "direct"; progressive mode's student is the teacher's field`);
  }
  if (options.mode === 'progressive' && options.teacherChunkRows !== undefined) {
    throw new OptionsError(`bad options for objective "distill": options.teacherChunkRows: ${options.teacherChunkRows} sets how mode "direct" makes its pairs; progressive mode makes none`);
  }
  if (teacher.condition !== undefined && options.mode === 'progressive') {
    throw new OptionsError(`bad options for objective "distill": options.mode: "progressive" takes an unconditional teacher; distil a conditional teacher with mode "direct" (a one-step map ψ(z | c))`);
  }
}

/** Registry entry `distill`. */
export const distill = defineObjective({
  id: 'distill',
  description: "Distil a trained flow (options.teacher: its model file's content) into a one-step map, or progressively halve its Euler steps",
  schema: distillSchema,
  recipeDefaults: onImages(IMAGE_GENERATOR_DEFAULTS),
  create(options, ctx) {
    const teacher = teacherModel(options.teacher, ctx.registry, 'distill');
    let owned = false;
    try {
      if (teacher.dim !== ctx.dim) throw new RangeError(`distill: the teacher has dimension ${teacher.dim}, the data ${ctx.dim}`);
      if (!isTransportModel(teacher)) {
        throw new TypeError(`distill: a ${teacher.method} teacher cannot map given noise (no transport(z)); distil a flow (flow-matching, rectified-flow, score-sde, cnf, …)`);
      }
      checkTeacherCondition(options, teacher, ctx);
      const info = { method: teacher.method, nfe: teacher.nfe };
      if (options.mode === 'direct') {
        // The direct run keeps the teacher until its set-up has made the pairs.
        const run = directRun(options, ctx, teacher, info);
        owned = true;
        return run;
      }
      return progressiveRun(options, ctx, teacher, info);
    } finally {
      if (!owned) teacher.dispose();
    }
  },
  load(parts: ModelParts<DistillOptions>) {
    const extra = { ...parts.extra };
    if (parts.options.mode === 'direct') {
      if (parts.options.student === 'teacher-step') {
        const field = mapRole('distill', parts, 'student', 'field');
        return directModel(parts.options, eulerStepMap(field), extra, field);
      }
      return directModel(parts.options, mapRole('distill', parts, 'generator', 'map'), extra);
    }
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
  const spec = teacher.condition;
  const student = studentKind(options, spec, ctx.eventShape);
  const resolved: DistillOptions = options.student !== undefined || student !== 'generator' ? { ...options, student } : options;
  const guidance = options.teacherGuidance;
  let teacherNfe: number;
  try {
    teacherNfe = teacher.nfeFor({
      ...sampling,
      ...(spec !== undefined ? { condition: spec.kind === 'class' ? 0 : new Float32Array(spec.dim) } : {}),
      ...(guidance !== undefined ? { guidance } : {}),
    });
  } catch (error) {
    if (guidance === undefined) throw error;
    throw new OptionsError(`bad options for objective "distill": options.teacherGuidance: ${(error as Error).message}`);
  }
  const { generator, field } = directStudent(student, ctx, teacher);
  const pairs = options.pairs;
  const dim = ctx.dim;
  const noise = ctx.rng.fold(1).normal([pairs, dim]) as tf.Tensor2D;
  let pairCondition: tf.Tensor | undefined;
  let target: tf.Variable;
  try {
    if (spec !== undefined) {
      // Each pair's condition is a training row's, so the classes keep the data's frequencies.
      const rows = ctx.conditionRows!;
      const picks = ctx.rng.fold(2);
      const index = Int32Array.from({ length: pairs }, () => picks.int(rows.shape[0]));
      pairCondition = tf.tidy(() => tf.gather(rows, tf.tensor1d(index, 'int32')));
    }
    // The teacher's endpoints χ₁(z | c), made by the run's set-up (below), not here: the memory
    // plan counts that pass before it allocates anything.
    target = tf.tidy(() => tf.variable(tf.zeros([pairs, dim]), false));
  } catch (error) {
    (field ?? generator).dispose();
    tf.dispose([noise, ...(pairCondition ? [pairCondition] : [])]);
    throw error;
  }
  const chunkRows = Math.min(pairs, options.teacherChunkRows ?? defaultChunkRows(ctx.eventShape));
  const teacherSampling = { ...sampling, ...(guidance !== undefined ? { guidance } : {}) };
  const endpoints = (z0: tf.Tensor2D, c: tf.Tensor | undefined) => teacher.transport(z0, { ...teacherSampling, ...(c !== undefined ? { condition: c } : {}) });
  // The run owns the teacher until its pairs are made (create() hands it over).
  let pending: TransportModel | undefined = teacher;
  const setup = (): void => {
    if (!pending) return;
    // A chunk at a time into host memory: 4,096 images through a U-Net at once would need gigabytes.
    const made = rowsInChunks(noise, pairCondition, chunkRows, endpoints);
    target.assign(made);
    made.dispose();
    pending.dispose();
    pending = undefined;
  };
  const pairsPass: SetupPass = {
    name: "distillation pairs (the teacher's endpoints)",
    // The endpoints gathered from host memory before they replace the zeros.
    heldRows: pairs,
    chunkRows,
    // One chunk of the teacher's solve, on copies of the first pair.
    probe: (rows) => {
      const first = tf.zeros([rows], 'int32');
      endpoints(tf.gather(noise, first), pairCondition && tf.gather(pairCondition, first));
    },
    advice: 'fewer options.pairs, or a smaller options.teacherChunkRows',
  };
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
            const index = tf.tensor1d(Int32Array.from({ length: n }, () => picks.int(pairs)), 'int32');
            const z0 = tf.gather(noise, index) as tf.Tensor2D;
            const condition = pairCondition ? { values: tf.gather(pairCondition, index) } : undefined;
            return tf.mean(tf.square(tf.sub(generator.apply(z0, condition), tf.gather(target, index)))) as tf.Scalar;
          }),
      },
    ],
    model: directModel(resolved, generator, extra, field),
    setup,
    setupPasses: [pairsPass],
    // The noise, the endpoints and the pairs' conditions, kept for the whole run.
    stateBytes: tensorBytes(noise, target, pairCondition),
    dispose() {
      pending?.dispose();
      pending = undefined;
      tf.dispose([noise, target, ...(pairCondition ? [pairCondition] : [])]);
    },
  };
}

/**
 * The student of a direct run: a new generator (conditional when the teacher is), or the teacher's
 * velocity field copied into a new one of the same spec, used as z ↦ z + v(0, z | c).
 */
function directStudent(kind: 'generator' | 'teacher-step', ctx: ObjectiveContext, teacher: TransportModel): { generator: PushforwardMap; field?: VectorField } {
  if (kind === 'generator') return { generator: buildGenerator(ctx.registry, ctx.dim, ctx.network, ctx.rng.fold(0), ctx.eventShape, teacher.condition) };
  const source = teacher.maps.velocity as VectorField | undefined;
  if (!source || typeof source.evaluate !== 'function') {
    throw new OptionsError(
      `bad options for objective "distill": options.student: "teacher-step" copies the teacher's "velocity" field (flow-matching, rectified-flow, stochastic-interpolant, cnf), and a ${teacher.method} teacher has none; use student "generator"`,
    );
  }
  const spec = source.toSpec();
  const field = ctx.registry.create('map', { id: spec.type, options: spec.options }, { rng: ctx.rng.fold(0) }, { id: 'teacher', options: 'teacher' }) as VectorField;
  tf.tidy(() => field.variables.forEach((v, i) => v.assign(source.variables[i]!)));
  return { generator: eulerStepMap(field), field };
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
