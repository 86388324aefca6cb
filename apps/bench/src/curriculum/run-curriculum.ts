// The curriculum suite: for every (seed, target) one training set and one held-out set, then every
// objective trained plain (at the suite's steps, and/or for the CPU time its curriculum run took)
// and inside the curriculum (each schedule asked for), and the reference lines (the flow-matching flow
// sampled with 100 Euler steps, then its one-step distillation), each measured on the same held-out
// points. Records are written after every run (temporary file, then rename) and runs already
// recorded are skipped, so an interrupted suite resumes where it stopped. Seeds are the outer loop,
// so a suite stopped early has every method on its first seeds.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, modelToContent, type Model, type Registry, type SampleOptions } from '@pfm/core';
import { energyDistance } from '@pfm/ipm';
import type { CurriculumArgs } from './curriculum-args.js';
import { FLOW_SAMPLER, objectiveRecipe, referenceRecipe, type CurriculumSchedule } from './curriculum-recipes.js';
import { curriculumMarkdown, type CurriculumMetrics, type CurriculumRecord, type CurriculumVariant } from './curriculum-summary.js';
import { CURRICULUM_TARGETS, sampleCurriculumTarget, targetModes, trainingSet, type CurriculumTarget } from './curriculum-targets.js';
import { checkerboardCoverage } from './checkerboard-coverage.js';
import { mergeCurriculum, readCurriculumFile, type CurriculumFile } from './merge-curriculum.js';
import { modeCoverage } from './mode-coverage.js';
import { trainToCompletion } from '../registry/train-to-completion.js';
import { trainForBudget, type TrainingBudget } from './train-for-budget.js';
import { writeAtomic } from '../report/write-atomic.js';


function recordKey(r: Pick<CurriculumRecord, 'target' | 'method' | 'variant' | 'seed'>, args: CurriculumArgs): string {
  return JSON.stringify([r.target, r.method, r.variant, r.seed, args.steps, args.batchSize, args.trainSize, args.samples]);
}

/** The cap on a plain run's steps under the time budget: far more than the CPU time of a curriculum run of `steps` steps allows. */
const TIME_BUDGET_STEP_CAP = 20;

/** The curriculum runs and their schedules, in the order they are trained. */
const SCHEDULE_VARIANT: Record<CurriculumSchedule, CurriculumVariant> = { even: 'curriculum', short: 'curriculum-short' };

/** Samples `model` and measures them against `test` (`[m, 2]`); `training` adds the steps and CPU seconds of the run. */
export function measureModel(
  model: Model,
  test: tf.Tensor2D,
  target: CurriculumTarget,
  n: number,
  seed: number,
  trainSeconds: number,
  options?: SampleOptions,
  training?: { steps: number; cpuSeconds: number },
): CurriculumMetrics {
  const x = model.sample(n, createRng(seed).fold(103), options);
  try {
    const values = x.dataSync() as Float32Array;
    const modes = targetModes(target);
    const coverage = modes ? modeCoverage(values, modes) : target === 'checkerboard' ? checkerboardCoverage(values) : null;
    const nonFinite = coverage ? coverage.nonFinite : values.filter((v) => !Number.isFinite(v)).length;
    const energy = nonFinite > 0 ? Number.NaN : tf.tidy(() => energyDistance(x, test).dataSync()[0]!);
    return { covered: coverage?.covered ?? null, reached: coverage?.reached ?? null, modes: coverage?.modes ?? null, highQuality: coverage?.highQuality ?? null, energy, nonFinite, trainSeconds, ...training };
  } finally {
    x.dispose();
  }
}

/**
 * Runs the suite; `log` receives one line per run. Returns every record (old and new). With
 * `args.merge`, trains nothing: the records of those folders are merged into `args.out` (see
 * mergeCurriculum).
 */
export async function runCurriculum(args: CurriculumArgs, registry: Registry, log: (line: string) => void): Promise<CurriculumRecord[]> {
  if (args.merge.length > 0) return mergeCurriculum(args.merge, args.out, log);
  mkdirSync(args.out, { recursive: true });
  const jsonPath = join(args.out, 'curriculum.json');
  const { out: _out, threads: _threads, merge: _merge, ...kept } = args;
  const file: CurriculumFile = existsSync(jsonPath) ? readCurriculumFile(jsonPath) : { format: 'pfm-bench-curriculum', version: 1, args: kept, records: [] };
  const done = new Map(file.records.map((r) => [recordKey(r, args), r]));
  const budget = { steps: 'equal total steps', time: 'plain runs for the CPU time of the curriculum run', both: 'equal total steps; and plain runs for the CPU time of the curriculum run' }[args.budget];
  const header = `# Curriculum suite\n\n${args.steps} steps per run (${budget}), batch ${args.batchSize}, ${args.trainSize} training points, ${args.samples} samples against as many held-out points, seeds ${args.seeds.join(', ')}.`;
  const save = () => {
    file.records = [...done.values()];
    writeAtomic(jsonPath, `${JSON.stringify(file, null, 2)}\n`);
    writeAtomic(join(args.out, 'curriculum.md'), `${curriculumMarkdown(file.records, header)}\n`);
  };
  const run = async (base: Omit<CurriculumRecord, 'status'>, body: () => Promise<CurriculumMetrics>) => {
    const key = recordKey(base, args);
    if (done.has(key)) return;
    if (base.variant !== 'reference' && args.variants !== null && !(args.variants as readonly string[]).includes(base.variant)) return;
    let record: CurriculumRecord;
    try {
      record = { ...base, status: 'ok', metrics: await body() };
    } catch (error) {
      record = { ...base, status: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
    done.set(key, record);
    save();
    const m = record.metrics;
    const what = m ? `${m.steps !== undefined ? `${m.steps} steps, ` : ''}${m.covered !== null ? `modes ${m.covered}/${m.modes} (reached ${m.reached}), hq ${m.highQuality!.toFixed(3)}, ` : ''}energy ${m.energy.toFixed(4)}, ${m.trainSeconds.toFixed(1)} s${m.cpuSeconds !== undefined ? ` (${m.cpuSeconds.toFixed(1)} CPU s)` : ''}` : `failed: ${record.error}`;
    log(`${base.target} ${base.method} ${base.variant} seed ${base.seed}: ${what}`);
  };
  for (const seed of args.seeds) {
    for (const target of args.targets) {
      const train = tf.tensor2d(trainingSet(target, args.trainSize, seed), [args.trainSize, 2]);
      const test = tf.tensor2d(sampleCurriculumTarget(target, args.samples, createRng(seed).fold(CURRICULUM_TARGETS.indexOf(target) + 1).fold(102)), [args.samples, 2]);
      try {
        for (const objective of args.objectives) {
          const trainAndMeasure = async (curriculum: false | CurriculumSchedule, budget: TrainingBudget) => {
            const steps = budget.kind === 'steps' ? args.steps : TIME_BUDGET_STEP_CAP * args.steps;
            const recipe = { ...objectiveRecipe(objective, curriculum, steps, args.batchSize), seed };
            const trained = await trainForBudget(recipe, train, registry, budget);
            try {
              return measureModel(trained.model, test, target, args.samples, seed, trained.seconds, undefined, { steps: trained.steps, cpuSeconds: trained.cpuSeconds });
            } finally {
              trained.model.dispose();
            }
          };
          if (args.budget !== 'time') await run({ target, method: objective, variant: 'plain', seed }, () => trainAndMeasure(false, { kind: 'steps' }));
          for (const schedule of args.schedules) {
            await run({ target, method: objective, variant: SCHEDULE_VARIANT[schedule], seed }, () => trainAndMeasure(schedule, { kind: 'steps' }));
          }
          if (args.budget !== 'steps') {
            await run({ target, method: objective, variant: 'plain-time', seed }, () => {
              const matched = done.get(recordKey({ target, method: objective, variant: 'curriculum', seed }, args));
              const cpuSeconds = matched?.metrics?.cpuSeconds;
              if (cpuSeconds === undefined) throw new Error(`no CPU time to match: the curriculum run ${matched ? (matched.status === 'ok' ? 'was recorded without its CPU seconds' : 'failed') : 'is missing'}`);
              return trainAndMeasure(false, { kind: 'time', cpuSeconds });
            });
          }
        }
        if (args.references) await runReferences(args, registry, train, test, target, seed, run);
      } finally {
        tf.dispose([train, test]);
      }
    }
  }
  save();
  return [...done.values()];
}

async function runReferences(
  args: CurriculumArgs,
  registry: Registry,
  train: tf.Tensor2D,
  test: tf.Tensor2D,
  target: CurriculumTarget,
  seed: number,
  run: (base: Omit<CurriculumRecord, 'status'>, body: () => Promise<CurriculumMetrics>) => Promise<void>,
): Promise<void> {
  // The flow is trained once per (target, seed) and kept for its distillation.
  let flow: { model: Model; seconds: number } | undefined;
  const teacher = async () => (flow ??= await trainToCompletion({ ...referenceRecipe('flow-100', args.steps, args.batchSize), seed }, train, registry));
  try {
    await run({ target, method: 'flow-100', variant: 'reference', seed }, async () => {
      const { model, seconds } = await teacher();
      return measureModel(model, test, target, args.samples, seed, seconds, { ...FLOW_SAMPLER });
    });
    await run({ target, method: 'distill', variant: 'reference', seed }, async () => {
      const recipe = referenceRecipe('distill', args.steps, args.batchSize);
      const t = await teacher();
      recipe.options = { ...(recipe.options as object), teacher: modelToContent(t.model, registry) };
      const { model, seconds } = await trainToCompletion({ ...recipe, seed }, train, registry);
      try {
        return measureModel(model, test, target, args.samples, seed, seconds);
      } finally {
        model.dispose();
      }
    });
  } finally {
    flow?.model.dispose();
  }
}
