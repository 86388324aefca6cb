// The curriculum suite: for every (seed, target) one training set and one held-out set, then every
// objective trained plain (at the suite's steps, and/or for the CPU time its curriculum run took)
// and inside the curriculum (each schedule asked for), and the reference lines (the flow-matching flow
// sampled with 100 Euler steps, then its one-step distillation), each measured on the same held-out
// points; on the MNIST target the objectives with a conv generator on the training digits, measured
// against the test digits (mnist-target.ts; no reference lines). Records are written after every run (temporary file, then rename) and runs already
// recorded are skipped, so an interrupted suite resumes where it stopped. Seeds are the outer loop,
// so a suite stopped early has every method on its first seeds.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, modelToContent, type Model, type Registry, type SampleOptions } from '@pfm/core';
import { energyDistance } from '@pfm/ipm';
import type { CurriculumArgs, CurriculumMnistSettings } from './curriculum-args.js';
import { FLOW_SAMPLER, objectiveRecipe, referenceRecipe, type CurriculumObjective, type CurriculumSchedule } from './curriculum-recipes.js';
import { curriculumMarkdown, type CurriculumMetrics, type CurriculumRecord, type CurriculumVariant } from './curriculum-summary.js';
import { CURRICULUM_TARGETS, sampleCurriculumTarget, targetModes, trainingSet, type CurriculumPointTarget, type CurriculumTarget } from './curriculum-targets.js';
import { measureMnist, mnistObjectiveRecipe } from './mnist-target.js';
import { loadMnistSplit, type MnistSplit } from '../mnist/mnist-split.js';
import { checkerboardCoverage } from './checkerboard-coverage.js';
import { mergeCurriculum, readCurriculumFile, type CurriculumFile } from './merge-curriculum.js';
import { modeCoverage } from './mode-coverage.js';
import { trainToCompletion } from '../registry/train-to-completion.js';
import { trainForBudget, type TrainingBudget } from './train-for-budget.js';
import { writeAtomic } from '../report/write-atomic.js';


/** The MNIST target's event shape: one 28×28 grey image per row. */
const MNIST_SHAPE = [28, 28, 1] as const;

/** The steps, batch, training size and samples a run of `target` uses. */
function targetSettings(target: string, args: CurriculumArgs): Omit<CurriculumMnistSettings, 'objectives'> {
  return target === 'mnist' ? args.mnist : { steps: args.steps, batchSize: args.batchSize, trainSize: args.trainSize, samples: args.samples };
}

function recordKey(r: Pick<CurriculumRecord, 'target' | 'method' | 'variant' | 'seed'>, args: CurriculumArgs): string {
  const s = targetSettings(r.target, args);
  return JSON.stringify([r.target, r.method, r.variant, r.seed, s.steps, s.batchSize, s.trainSize, s.samples]);
}

/** The cap on a plain run's steps under the time budget: far more than the CPU time of a curriculum run of `steps` steps allows. */
const TIME_BUDGET_STEP_CAP = 20;

/** The curriculum runs and their schedules, in the order they are trained. */
const SCHEDULE_VARIANT: Record<CurriculumSchedule, CurriculumVariant> = { even: 'curriculum', short: 'curriculum-short' };

/** Samples `model` and measures them against `test` (`[m, 2]`); `training` adds the steps and CPU seconds of the run. */
export function measureModel(
  model: Model,
  test: tf.Tensor2D,
  target: CurriculumPointTarget,
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

/** The log line of a finished run. */
function describeRun(record: CurriculumRecord): string {
  const m = record.metrics;
  if (!m) return `failed: ${record.error}`;
  const steps = m.steps !== undefined ? `${m.steps} steps, ` : '';
  const cpu = m.cpuSeconds !== undefined ? ` (${m.cpuSeconds.toFixed(1)} CPU s)` : '';
  if (m.fld !== undefined) return `${steps}digits ${m.covered}/10, confident ${m.highQuality!.toFixed(3)}, FLD ${m.fld.toFixed(2)}, ${m.trainSeconds.toFixed(1)} s${cpu}`;
  const modes = m.covered !== null ? `modes ${m.covered}/${m.modes} (reached ${m.reached}), hq ${m.highQuality!.toFixed(3)}, ` : '';
  return `${steps}${modes}energy ${m.energy?.toFixed(4)}, ${m.trainSeconds.toFixed(1)} s${cpu}`;
}

/**
 * Runs the suite; `log` receives one line per run. Returns every record (old and new). With
 * `args.merge`, trains nothing: the records of those folders are merged into `args.out` (see
 * mergeCurriculum). `mnist` replaces the MNIST digits (tests pass a few; the caller owns them).
 */
export async function runCurriculum(args: CurriculumArgs, registry: Registry, log: (line: string) => void, mnist?: MnistSplit): Promise<CurriculumRecord[]> {
  if (args.merge.length > 0) return mergeCurriculum(args.merge, args.out, log);
  mkdirSync(args.out, { recursive: true });
  const jsonPath = join(args.out, 'curriculum.json');
  const { out: _out, threads: _threads, merge: _merge, ...kept } = args;
  const file: CurriculumFile = existsSync(jsonPath) ? readCurriculumFile(jsonPath) : { format: 'pfm-bench-curriculum', version: 1, args: kept, records: [] };
  const done = new Map(file.records.map((r) => [recordKey(r, args), r]));
  const budget = { steps: 'equal total steps', time: 'plain runs for the CPU time of the curriculum run', both: 'equal total steps; and plain runs for the CPU time of the curriculum run' }[args.budget];
  const digits = args.targets.includes('mnist') ? ` MNIST: ${(args.mnist.objectives ?? args.objectives).join(', ')}, ${args.mnist.steps} steps per run, batch ${args.mnist.batchSize}, ${args.mnist.trainSize} training digits, ${args.mnist.samples} samples against the test digits.` : '';
  const header = `# Curriculum suite\n\n${args.steps} steps per run (${budget}), batch ${args.batchSize}, ${args.trainSize} training points, ${args.samples} samples against as many held-out points, seeds ${args.seeds.join(', ')}.${digits}`;
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
    log(`${base.target} ${base.method} ${base.variant} seed ${base.seed}: ${describeRun(record)}`);
  };
  // The digits are read once, when the first MNIST run needs them, and kept for every seed.
  let split = mnist;
  const digitsSplit = () => (split ??= loadMnistSplit(args.mnist.trainSize));
  try {
    for (const seed of args.seeds) {
      for (const target of args.targets) {
        if (target === 'mnist') {
          await runMnistTarget(args, registry, seed, digitsSplit, done, run);
          continue;
        }
        await runPointTarget(args, registry, target, seed, done, run);
      }
    }
  } finally {
    if (split && split !== mnist) tf.dispose([split.train, split.test]);
  }
  save();
  return [...done.values()];
}

type RunOne = (base: Omit<CurriculumRecord, 'status'>, body: () => Promise<CurriculumMetrics>) => Promise<void>;

/**
 * The runs of one objective on one target and seed: plain at equal steps, the curriculum in each
 * schedule asked for, and plain for the CPU seconds of the even curriculum run; `trainAndMeasure`
 * trains one of them (plain when `curriculum` is false) within its budget and measures it.
 */
async function runObjective(
  args: CurriculumArgs,
  target: CurriculumTarget,
  objective: CurriculumObjective,
  seed: number,
  done: ReadonlyMap<string, CurriculumRecord>,
  run: RunOne,
  trainAndMeasure: (curriculum: false | CurriculumSchedule, budget: TrainingBudget) => Promise<CurriculumMetrics>,
): Promise<void> {
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

/** The runs of one point target and seed: every objective under the budgets and schedules asked for, then the references. */
async function runPointTarget(args: CurriculumArgs, registry: Registry, target: CurriculumPointTarget, seed: number, done: ReadonlyMap<string, CurriculumRecord>, run: RunOne): Promise<void> {
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
      await runObjective(args, target, objective, seed, done, run, trainAndMeasure);
    }
    if (args.references) await runReferences(args, registry, train, test, target, seed, run);
  } finally {
    tf.dispose([train, test]);
  }
}

/**
 * The runs of the MNIST target for one seed: every objective as on the plane's targets (runObjective)
 * at the MNIST settings; no reference lines (a flow on images is the MNIST track's, `--suite mnist`).
 */
async function runMnistTarget(args: CurriculumArgs, registry: Registry, seed: number, split: () => MnistSplit, done: ReadonlyMap<string, CurriculumRecord>, run: RunOne): Promise<void> {
  const { steps, batchSize, samples } = args.mnist;
  for (const objective of args.mnist.objectives ?? args.objectives) {
    const trainAndMeasure = async (curriculum: false | CurriculumSchedule, budget: TrainingBudget) => {
      const data = split();
      const cap = budget.kind === 'steps' ? steps : TIME_BUDGET_STEP_CAP * steps;
      const recipe = { ...mnistObjectiveRecipe(objective, curriculum, cap, batchSize), seed };
      const trained = await trainForBudget(recipe, data.train, registry, budget, { eventShape: MNIST_SHAPE });
      try {
        return measureMnist(trained.model, data.test, samples, seed, trained.seconds, { steps: trained.steps, cpuSeconds: trained.cpuSeconds });
      } finally {
        trained.model.dispose();
      }
    };
    await runObjective(args, 'mnist', objective, seed, done, run, trainAndMeasure);
  }
}

async function runReferences(
  args: CurriculumArgs,
  registry: Registry,
  train: tf.Tensor2D,
  test: tf.Tensor2D,
  target: CurriculumPointTarget,
  seed: number,
  run: RunOne,
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
