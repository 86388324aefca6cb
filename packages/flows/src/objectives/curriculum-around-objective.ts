// [curriculum around an objective] The curriculum of Cabannes (arXiv 2311.13845, section 4, "from
// network to optimization architecture") around any one-step generator objective of the registry:
// the inner objective's players (the generator, and its critic if it has one) are built once and
// keep their weights and optimizer state from level to level; at level r every player's loss is the
// inner loss evaluated on the data pushed along the OU path, x_{s_r} = α(s_r) x + σ(s_r) z, so
// round r solves the inner problem for ρ_{s_r} (s_0 > … > s_{R−1} = 0) warm-started from round r − 1.
// With R = 1 (s = 0) the batches are the data themselves and the run is the inner objective's, bit for bit.
import * as tf from '@tensorflow/tfjs-core';
import {
  mapPlayerBatches,
  OptionsError,
  type EntryRef,
  type Model,
  type ModelParts,
  type ObjectiveContext,
  type Player,
  type PushforwardMap,
  type TrainingRun,
} from '@pfm/core';
import type { VpSchedule } from '../paths/vp-schedule.js';
import { CurriculumClock } from './curriculum-clock.js';
import { noisedBatch } from './noised-batch.js';

/** The `curriculum` options this wrapper reads (the schema lives in curriculum.ts). */
export interface CurriculumWrapperOptions {
  objective?: EntryRef | undefined;
  levels: number;
  stepsPerLevel?: number[] | undefined;
  advance?: 'fixed' | 'plateau' | undefined;
  plateauWindow?: number | undefined;
  plateauTolerance?: number | undefined;
  init?: 'random' | 'identity' | undefined;
  identitySteps?: number | undefined;
}

/** Defaults of the wrapper's optional options (kept out of the schema so that files of the `loss` form are unchanged). */
export const CURRICULUM_WRAPPER_DEFAULTS = { advance: 'fixed', plateauWindow: 50, plateauTolerance: 0.01, init: 'random', identitySteps: 100 } as const;

/** Key of the rng stream the level's data noise is drawn from (the inner losses use the stream itself and folds 0 and 1). */
const NOISE_STREAM = 0x6e6f6973;
/** Key of the rng stream of the identity pre-training's noise. */
const IDENTITY_STREAM = 0x69646e74;

const ONE_STEP_EXAMPLES = 'gan, wgan-gp, energy, mmd, sinkhorn, characteristic, fourier, sliced-wasserstein, statistics-matching';

function refId(ref: EntryRef, where: string): string {
  const id = typeof ref === 'string' ? ref : ref.id;
  if (id === undefined) throw new OptionsError(`${where}.id: required (an objective id such as ${ONE_STEP_EXAMPLES})`);
  return id;
}

/** The generator of a one-step model, or an error saying why `id` is not a one-step generator objective. */
function generatorOf(model: Model, id: string): PushforwardMap {
  const generator = model.maps.generator as PushforwardMap | undefined;
  if (model.nfe !== 1 || generator === undefined || typeof generator.apply !== 'function') {
    throw new OptionsError(
      `curriculum: options.objective "${id}" is not a one-step generator objective (its model has ${model.nfe} function evaluations per sample and maps ${Object.keys(model.maps).join(', ') || 'none'}); expected one whose model is a "generator" with one evaluation, e.g. ${ONE_STEP_EXAMPLES}`,
    );
  }
  return generator;
}

/** The curriculum's model: the inner model under the method `curriculum`, its options holding the inner objective's. */
function wrapModel(inner: Model, options: Record<string, unknown>, extra: () => Record<string, unknown>): Model {
  return { ...inner, method: 'curriculum', options, extra: () => ({ ...(inner.extra?.() ?? {}), ...extra() }) };
}

/** The recorded options: the curriculum's, with the inner objective's resolved options (what its `load` needs). */
function recordedOptions(options: Record<string, unknown>, id: string, inner: Model): Record<string, unknown> {
  return { ...options, objective: { id, options: inner.options } };
}

/**
 * The training run of `curriculum` with `options.objective`: the inner objective built once by
 * the registry, its players' batches replaced level by level by the noised data (see
 * {@link noisedBatch}), the level of each step given by a {@link CurriculumClock}. With
 * `init: 'identity'` the first `identitySteps` steps fit the generator to the identity,
 * min E‖φ(z) − z‖² (the critic, if any, already plays at level 0): the paper's "start from a
 * generator that maps noise to noise", which ρ_s ≈ N(0, I) makes right at s_0 near 1. This is done by
 * regression rather than by a residual connection φ(z) = z + g(z) so that the inner objective's
 * network and model file stay exactly its own; the identity steps count in the run's steps.
 */
export function curriculumAroundObjective(args: {
  options: CurriculumWrapperOptions & Record<string, unknown>;
  /** Diffusion times s_0 > … > s_{R−1} = 0 of the levels. */
  levels: number[];
  schedule: VpSchedule;
  ctx: ObjectiveContext;
}): TrainingRun {
  const { options, levels, schedule, ctx } = args;
  const ref = options.objective!;
  const id = refId(ref, 'curriculum: options.objective');
  if (id === 'curriculum') throw new OptionsError('curriculum: options.objective is "curriculum"; a curriculum wraps a one-step objective, not another curriculum');
  const advance = options.advance ?? CURRICULUM_WRAPPER_DEFAULTS.advance;
  const init = options.init ?? CURRICULUM_WRAPPER_DEFAULTS.init;
  const warmup = init === 'identity' ? (options.identitySteps ?? CURRICULUM_WRAPPER_DEFAULTS.identitySteps) : 0;
  if (init !== 'identity' && options.identitySteps !== undefined) {
    throw new OptionsError(`curriculum: options.identitySteps is ${options.identitySteps} but options.init is "${init}"; identity steps need init: "identity"`);
  }
  if (advance !== 'plateau' && (options.plateauWindow !== undefined || options.plateauTolerance !== undefined)) {
    throw new OptionsError(`curriculum: options.plateauWindow / plateauTolerance need advance: "plateau" (advance is "${advance}")`);
  }
  const clock = new CurriculumClock({
    steps: ctx.steps,
    warmup,
    levels: levels.length,
    ...(options.stepsPerLevel !== undefined ? { stepsPerLevel: options.stepsPerLevel } : {}),
    ...(advance === 'plateau'
      ? { plateau: { window: options.plateauWindow ?? CURRICULUM_WRAPPER_DEFAULTS.plateauWindow, tolerance: options.plateauTolerance ?? CURRICULUM_WRAPPER_DEFAULTS.plateauTolerance } }
      : {}),
    where: 'curriculum',
  });
  const inner = ctx.registry.create('objective', ref, ctx, 'curriculum: options.objective');
  let generator: PushforwardMap;
  try {
    generator = generatorOf(inner.model, id);
    if (init === 'identity') {
      const noise = inner.model.options.noise;
      if (generator.inputDim !== ctx.dim || (noise !== undefined && noise !== 'gaussian')) {
        throw new OptionsError(
          `curriculum: options.init "identity" needs a generator from N(0, I) in the data's dimension ${ctx.dim}; "${id}" draws ${String(noise ?? 'gaussian')} noise of dimension ${generator.inputDim} (set its latentDim to 0 and noise to "gaussian")`,
        );
      }
    }
  } catch (error) {
    inner.dispose?.();
    inner.model.dispose();
    throw error;
  }
  const generatorIndex = Math.max(0, inner.players.findIndex((p) => p.name === 'generator'));
  // The level of the current step, set by beforeStep (−1: identity pre-training, played at level 0).
  let level = clock.levelAt(0);
  const noised = mapPlayerBatches(inner, ({ batch, rng }) => noisedBatch(batch, levels[Math.max(0, level)]!, schedule, rng.fold(NOISE_STREAM)));
  const plateau = advance === 'plateau';
  const players = noised.players.map((player, j): Player => {
    if (j !== generatorIndex) return player;
    return {
      ...player,
      loss: (input) => {
        if (level < 0) {
          return tf.tidy(() => {
            const z = input.rng.fold(IDENTITY_STREAM).normal([input.batch.shape[0], ctx.dim]) as tf.Tensor2D;
            const condition = generator.condition && input.condition ? { values: input.condition } : undefined;
            return tf.mean(tf.sum(tf.square(tf.sub(generator.apply(z, condition), z)), 1)) as tf.Scalar;
          });
        }
        const value = player.loss(input);
        if (plateau) clock.observe(input.step, value.dataSync()[0]!);
        return value;
      },
    };
  });
  const recorded = recordedOptions(options, id, inner.model);
  const run: TrainingRun = {
    ...noised,
    players,
    model: wrapModel(inner.model, recorded, () => ({ levels, levelStarts: clock.starts() })),
    beforeStep(step, rng) {
      level = clock.levelAt(step);
      noised.beforeStep?.(step, rng);
    },
    state() {
      const own = noised.state?.() ?? { json: {}, tensors: {} };
      return { json: { ...own.json, curriculumClock: clock.save() }, tensors: own.tensors };
    },
    restore(state) {
      const { curriculumClock, ...rest } = state.json;
      if (curriculumClock !== undefined) clock.load(curriculumClock as Record<string, unknown>);
      noised.restore?.({ json: rest, tensors: state.tensors });
    },
  };
  return run;
}

/** Rebuilds a curriculum-around-objective model from its file: the inner objective's `load`, then the wrapper. */
export function loadCurriculumAroundObjective(parts: ModelParts<CurriculumWrapperOptions & Record<string, unknown>>): Model {
  const ref = parts.options.objective!;
  const id = refId(ref, 'curriculum: options.objective');
  const entry = parts.registry.get('objective', id);
  const innerOptions = parts.registry.parseOptions('objective', id, typeof ref === 'string' ? {} : (ref.options ?? {}), 'curriculum: options.objective.options');
  const model = entry.load({ ...parts, options: innerOptions });
  const extra = { levels: parts.extra.levels, levelStarts: parts.extra.levelStarts };
  return wrapModel(model, { ...parts.options, objective: { id, options: innerOptions } }, () => extra);
}
