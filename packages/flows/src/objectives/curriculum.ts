// [curriculum] The proposal of Cabannes (arXiv 2311.13845, section 4, "from network to optimization
// architecture"), as read here: keep one fixed statistics-matching loss D (energy distance, MMD, …
// from @pfm/ipm) and one one-step generator φ, and move the *target* instead of stacking networks.
// The data pushed along the Ornstein–Uhlenbeck (VP) path to diffusion time s,
//   ρ_s = law of α(s) X + σ(s) Z,  X ~ data, Z ~ N(0, I),
// is close to N(0, I) for s near 1, where φ ≈ identity already fits, and equals the data at s = 0.
// Round r fine-tunes φ (warm-started from round r − 1) on min_φ D(φ#N(0, I), ρ_{s_r}) for levels
// s_0 = start > s_1 > … > s_{R−1} = 0, so each round is a small step of a continuation method and
// the last round is plain statistics matching on the data. Levels are spaced evenly in diffusion
// time (`time`) or in the signal weight α (`signal`).
// On data with class labels c the generator is φ(z | c) and each level's loss is the per-class sum
// Σ_c (n_c/n) D(φ#N(0, I)(· | c), ρ_s(· | c)) (@pfm/ipm's perClassDiscrepancy), ρ_s(· | c) the class-c data pushed
// along the same path: every class walks its own curriculum from noise to its data.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineObjective, entryRefSchema, OptionsError, type PushforwardMap, IMAGE_GENERATOR_DEFAULTS, onImages } from '@pfm/core';
import { perClassDiscrepancy } from '@pfm/ipm';
import { oneStepModel } from '../models/one-step-model.js';
import type { TransportModel } from '../models/transport-model.js';
import { scheduleFromOptions, vpScheduleOptionsShape } from '../paths/vp-schedule-options.js';
import { buildGenerator } from './build-generator.js';
import { curriculumAroundObjective, loadCurriculumAroundObjective } from './curriculum-around-objective.js';
import { mapRole } from './map-role.js';
import { roundOfStep } from './round-of-step.js';

/**
 * Options of the curriculum around a one-step objective (`objective`, see
 * curriculum-around-objective.ts). They are optional without schema defaults so that a recipe of the
 * `loss` form parses, trains and saves exactly as before; defaults: `advance: 'fixed'`,
 * `plateauWindow: 50`, `plateauTolerance: 0.01`, `init: 'random'`, `identitySteps: 100`.
 */
const curriculumWrapperShape = {
  /**
   * The one-step generator objective trained at every level instead of `loss` (an id or `{ id, options }`):
   * `gan`, `wgan-gp`, `energy`, `mmd`, `sinkhorn`, `characteristic`, … Its players (the critic too) are
   * built once and carried across levels; only their data batch changes, to α(s) x + σ(s) z.
   */
  objective: entryRefSchema('objective').optional(),
  /** Steps of each level (one entry per level, summing to the run's steps minus `identitySteps`); default: an even split. */
  stepsPerLevel: z.array(z.number().int().min(1)).min(1).optional(),
  /**
   * `fixed`: each level runs its share of steps. `plateau`: a level also ends when the exponential
   * moving average (window `plateauWindow`) of the generator's loss fell by less than
   * `plateauTolerance` (relative) over the last `plateauWindow` steps, from its 2·window-th step on;
   * unused steps go to the last level (the data).
   */
  advance: z.enum(['fixed', 'plateau']).optional(),
  plateauWindow: z.number().int().min(1).optional(),
  plateauTolerance: z.number().min(0).optional(),
  /** `identity`: the first `identitySteps` steps fit the generator to φ(z) = z (noise → noise, the paper's start at t = ∞). */
  init: z.enum(['random', 'identity']).optional(),
  identitySteps: z.number().int().min(1).optional(),
};

/** Options of `curriculum` (the fixed loss or the wrapped objective, the levels and the VP schedule). */
export const curriculumSchema = z
  .object({
    /** The statistics-matching loss, the same at every level. */
    loss: entryRefSchema('discrepancy', 'energy'),
    /** Number of levels R (training steps are split evenly; 1 = plain statistics matching). */
    levels: z.number().int().min(1).max(1000).default(8),
    /** Diffusion time s_0 of the first level (1 = nearly pure noise). */
    start: z.number().gt(0).max(1).default(1),
    /** `signal`: α(s_r) evenly spaced from α(start) to 1; `time`: s_r evenly spaced from start to 0. */
    spacing: z.enum(['signal', 'time']).default('signal'),
    ...vpScheduleOptionsShape,
    ...curriculumWrapperShape,
  })
  .strict();

/** Parsed options of `curriculum`. */
export type CurriculumOptions = z.output<typeof curriculumSchema>;

/** The diffusion times s_0 > … > s_{R−1} = 0 of the curriculum's levels. */
export function curriculumLevels(options: CurriculumOptions): number[] {
  const R = options.levels;
  if (R === 1) return [0];
  const schedule = scheduleFromOptions(options, 'curriculum');
  const a0 = schedule.alpha(options.start);
  return Array.from({ length: R }, (_, r) => {
    const f = r / (R - 1);
    if (r === R - 1) return 0;
    return options.spacing === 'time' ? options.start * (1 - f) : schedule.timeForAlpha(a0 + (1 - a0) * f);
  });
}

function curriculumModel(options: CurriculumOptions, generator: PushforwardMap, levels: number[]): TransportModel {
  return oneStepModel({ method: 'curriculum', options, dim: generator.outputDim, generator, extra: () => ({ levels }) });
}

/** Registry entry `curriculum`. */
export const curriculum = defineObjective({
  id: 'curriculum',
  description: 'One-step generator fine-tuned level by level on the data pushed along the OU path, s decreasing to 0, with one fixed statistics-matching loss',
  schema: curriculumSchema,
  recipeDefaults: onImages(IMAGE_GENERATOR_DEFAULTS),
  create(options, ctx) {
    const schedule = scheduleFromOptions(options, 'curriculum');
    const levels = curriculumLevels(options);
    if (options.objective !== undefined) {
      const loss = options.loss;
      if (typeof loss === 'string' ? loss !== 'energy' : loss.id !== 'energy' || Object.keys(loss.options).length > 0) {
        throw new OptionsError(`curriculum: options.loss ${JSON.stringify(loss)} and options.objective ${JSON.stringify(options.objective)} are exclusive; a statistics-matching loss is wrapped as objective: { id: "statistics-matching", options: { loss } }`);
      }
      return curriculumAroundObjective({ options, levels, schedule, ctx });
    }
    for (const field of ['stepsPerLevel', 'advance', 'plateauWindow', 'plateauTolerance', 'init', 'identitySteps'] as const) {
      if (options[field] !== undefined) {
        throw new OptionsError(`curriculum: options.${field} is ${JSON.stringify(options[field])}, but it applies to a curriculum around an objective; set options.objective (e.g. "energy" for the default loss)`);
      }
    }
    if (ctx.condition?.kind === 'context') {
      throw new OptionsError('curriculum: a context condition has no classes to match one by one; the conditional curriculum takes class labels');
    }
    const loss = ctx.registry.create('discrepancy', options.loss, {}, 'curriculum.loss');
    const generator = buildGenerator(ctx.registry, ctx.dim, ctx.network, ctx.rng.fold(0), ctx.eventShape, ctx.condition);
    return {
      players: [
        {
          name: 'generator',
          variables: generator.variables,
          loss: ({ batch, condition, rng, step, totalSteps }) =>
            tf.tidy(() => {
              const s = levels[roundOfStep(step, totalSteps, levels.length)]!;
              const noisy = s === 0 ? batch : tf.add(tf.mul(batch, schedule.alpha(s)), tf.mul(rng.fold(1).normal(batch.shape), schedule.sigma(s)));
              if (condition && generator.condition) {
                const noise = (m: number, r: typeof rng) => r.normal([m, batch.shape[1]]) as tf.Tensor2D;
                return perClassDiscrepancy({ generator, discrepancy: loss, batch: noisy as tf.Tensor2D, labels: condition, noise, generatedPerData: 1, rng: rng.fold(0), where: 'curriculum' });
              }
              const fake = generator.apply(rng.fold(0).normal(batch.shape) as tf.Tensor2D);
              return loss(fake, noisy as tf.Tensor2D);
            }),
        },
      ],
      model: curriculumModel(options, generator, levels),
    };
  },
  load(parts) {
    if (parts.options.objective !== undefined) return loadCurriculumAroundObjective(parts);
    return curriculumModel(parts.options, mapRole('curriculum', parts, 'generator', 'map'), curriculumLevels(parts.options));
  },
});
