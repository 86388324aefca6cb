// The class-conditional case of the MNIST track (issue 15): conditional flow matching on the
// training digits and their labels, with condition dropout so one U-Net learns v(t, x | c) and
// v(t, x | ∅), sampled with classifier-free guidance ṽ = v_∅ + w (v_c − v_∅) (Ho & Salimans 2022)
// at each scale w; and, per w, the one-step map ψ(z | c) distilled from the guided teacher
// (Meng et al. 2023, stage one). Each model is measured by the class accuracy of pfm's LeNet on
// samples of the digits 0…9 in turn, and by FLD against the 1,000 test digits.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { decodeModelFile, encodeModelFile, modelFromContent, modelToContent, type Model, type Registry } from '@pfm/core';
import { frechetLenetDistance, lenetClassAccuracy, MNIST_EVENT_SHAPE } from '@pfm/datasets';
import { writePngGrid } from '@pfm/datasets/node';
import { recipeSettings, type MnistArgs } from './mnist-args.js';
import { mnistRecipe } from './mnist-recipes.js';
import { clippedSamples } from './clipped-samples.js';
import type { MnistSplit } from './mnist-split.js';
import { trainWithinBudget } from './train-within-budget.js';
import { writeAtomic } from '../report/write-atomic.js';

/** Condition dropout of the conditional teacher (Ho & Salimans use 0.1–0.2). */
export const MNIST_CONDITION_DROPOUT = 0.1;

/** One measured model of the conditional case. */
export interface ConditionalRecord {
  /** `flow`: the guided teacher sampled at w; `distill`: the one-step map distilled from it at w. */
  model: 'flow' | 'distill';
  seed: number;
  guidance: number;
  status: 'ok' | 'failed';
  error?: string;
  /** Share of samples pfm's LeNet assigns to their requested digit. */
  classAccuracy?: number;
  /** The same per digit 0…9. */
  perClass?: number[];
  /** FLD of the samples (digits 0…9 in turn) against the test digits. */
  fld?: number;
  /** Function evaluations per sample (a flow at w ∉ {0, 1} evaluates its field twice per step). */
  nfe?: number;
  sampleMsPerImage?: number;
  /** Training of this model (the teacher's for `flow`, the distillation's for `distill`). */
  steps?: number;
  trainSeconds?: number;
}

/**
 * The velocity field of the conditional teacher: v(t, x | c) on the flat 784-d rows, an MLP of
 * three hidden layers of 512 SiLU units on [x, e(t)] (sinusoidal time embedding) whose hidden
 * layers are modulated by a learned 64-d class embedding (FiLM, Perez et al. 2018). An MLP on the
 * flat rows, not the image default (the U-Net), so that minutes on one CPU core buy thousands of
 * steps; the guided samples need no convolutions to be recognisable digits.
 */
export const MNIST_CONDITIONAL_FIELD = {
  type: 'time-mlp',
  hidden: [512, 512, 512],
  timeEmbedding: 'sinusoidal',
  condition: { join: 'film', embeddingDim: 64 },
} as const;

/** The conditional teacher's recipe: pfm's MNIST flow matching with condition dropout and the conditional MLP field. */
export function conditionalTeacherRecipe(args: MnistArgs, seed: number): Record<string, unknown> {
  const recipe = mnistRecipe('flow-matching', recipeSettings(args));
  return { ...recipe, options: { ...(recipe.options as object), conditionDropout: MNIST_CONDITION_DROPOUT }, model: structuredClone(MNIST_CONDITIONAL_FIELD), seed };
}

/** The distillation recipe at guidance w (the student: the teacher's field as the one-step map z + v(0, z | c)). */
export function conditionalDistillRecipe(args: MnistArgs, seed: number, guidance: number): Record<string, unknown> {
  const recipe = mnistRecipe('distill', recipeSettings(args, args.distillSteps));
  return { ...recipe, options: { ...(recipe.options as object), teacherGuidance: guidance, student: 'teacher-step' }, seed };
}

/** The digits 0…9 in turn for n samples. */
function balancedDigits(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i % 10);
}

/** Class accuracy, FLD and an image grid (10 columns: one digit each) of `model` at `options`. */
async function measure(model: Model, args: MnistArgs, split: MnistSplit, seed: number, guidance: number | undefined, grid: string) {
  const digits = balancedDigits(args.samples);
  const options = { condition: digits, ...(guidance !== undefined ? { guidance } : {}) };
  const { x, ms } = clippedSamples(model, args.samples, seed, options);
  try {
    const accuracy = lenetClassAccuracy(x, digits);
    const fld = frechetLenetDistance(x, split.test);
    const shown = tf.tidy(() => tf.slice(x, [0, 0], [Math.min(100, args.samples), 784]));
    try {
      await writePngGrid(grid, { rows: shown.shape[0], cols: 784, values: shown.dataSync() as Float32Array, shape: MNIST_EVENT_SHAPE }, { columns: 10 });
    } finally {
      shown.dispose();
    }
    return { classAccuracy: accuracy.accuracy, perClass: accuracy.perClass, fld, nfe: model.nfeFor?.(options) ?? model.nfe, sampleMsPerImage: ms / args.samples };
  } finally {
    x.dispose();
  }
}

/**
 * Runs the conditional case for every seed: trains (or reloads from `models/`) the conditional
 * teacher, measures it at each guidance scale, distils it at each scale and measures the one-step
 * maps. `save(records)` is called after every record. Needs `split.trainLabels`.
 */
export async function runConditionalMnist(
  args: MnistArgs,
  split: MnistSplit,
  registry: Registry,
  log: (line: string) => void,
  save: (records: ConditionalRecord[]) => void,
): Promise<ConditionalRecord[]> {
  const labels = split.trainLabels;
  if (!labels || labels.length !== split.train.shape[0]) throw new Error('the conditional case needs the digit of every training row (split.trainLabels)');
  const records: ConditionalRecord[] = [];
  const push = (record: ConditionalRecord) => {
    records.push(record);
    save(records);
    const what = record.status === 'ok' ? `class accuracy ${(100 * record.classAccuracy!).toFixed(1)}%, FLD ${record.fld!.toFixed(2)}, NFE ${record.nfe}` : `failed: ${record.error}`;
    log(`conditional ${record.model} seed ${record.seed} w ${record.guidance}: ${what}`);
  };
  for (const seed of args.seeds) {
    const teacherPath = join(args.out, 'models', `conditional-flow-matching-seed${seed}.json`);
    const teacherRecipe = conditionalTeacherRecipe(args, seed);
    writeAtomic(join(args.out, 'recipes', `conditional-flow-matching-seed${seed}.json`), `${JSON.stringify(teacherRecipe, null, 1)}\n`);
    // The teacher of this seed: reloaded from models/ when an earlier run saved it, else trained now.
    let model: Model;
    let training: { steps: number; trainSeconds: number } | undefined;
    if (existsSync(teacherPath)) {
      model = modelFromContent(decodeModelFile(readFileSync(teacherPath, 'utf8'), { source: teacherPath }), registry, teacherPath);
    } else {
      const trained = await trainWithinBudget(teacherRecipe, split, { ...args, checkpoints: [] }, registry, seed, labels);
      model = trained.model;
      training = { steps: trained.steps, trainSeconds: trained.trainSeconds };
    }
    let teacher: Record<string, unknown>;
    try {
      const json = encodeModelFile(modelToContent(model, registry, { recipe: teacherRecipe }), { weights: 'inline', source: teacherPath }).json;
      if (training) writeAtomic(teacherPath, json);
      teacher = JSON.parse(json) as Record<string, unknown>;
      for (const guidance of args.guidance) {
        push(await measureRecord('flow', seed, guidance, () => measure(model, args, split, seed, guidance, join(args.out, `conditional-flow-w${guidance}-seed${seed}.png`)), training));
      }
    } finally {
      model.dispose();
    }
    for (const guidance of args.distillGuidance) {
      const recipe = conditionalDistillRecipe(args, seed, guidance);
      writeAtomic(join(args.out, 'recipes', `conditional-distill-w${guidance}-seed${seed}.json`), `${JSON.stringify(recipe, null, 1)}\n`);
      let student: Awaited<ReturnType<typeof trainWithinBudget>> | undefined;
      try {
        const budget = { ...args, steps: args.distillSteps, minutes: args.distillMinutes, checkpoints: [] };
        student = await trainWithinBudget({ ...recipe, options: { ...(recipe.options as object), teacher } }, split, budget, registry, seed, labels);
      } catch (error) {
        push({ model: 'distill', seed, guidance, status: 'failed', error: error instanceof Error ? error.message : String(error) });
        continue;
      }
      try {
        const trained = student;
        push(
          await measureRecord('distill', seed, guidance, () => measure(trained.model, args, split, seed, undefined, join(args.out, `conditional-distill-w${guidance}-seed${seed}.png`)), {
            steps: trained.steps,
            trainSeconds: trained.trainSeconds,
          }),
        );
      } finally {
        student.model.dispose();
      }
    }
  }
  return records;
}

async function measureRecord(
  model: 'flow' | 'distill',
  seed: number,
  guidance: number,
  run: () => Promise<Omit<ConditionalRecord, 'model' | 'seed' | 'guidance' | 'status'>>,
  training?: { steps: number; trainSeconds: number },
): Promise<ConditionalRecord> {
  try {
    return { model, seed, guidance, status: 'ok', ...(await run()), ...(training ?? {}) };
  } catch (error) {
    return { model, seed, guidance, status: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}

/** The conditional case as a Markdown section: class accuracy and FLD against w, flow and one-step map. */
export function conditionalMarkdown(
  records: readonly ConditionalRecord[],
  args: Pick<MnistArgs, 'samples' | 'flowSamplerSteps' | 'distillPairs' | 'distillTeacherSteps' | 'batchSize'>,
): string {
  const field = MNIST_CONDITIONAL_FIELD;
  const lines = [
    '## Class-conditional: guidance against class accuracy and FLD',
    '',
    `Conditional flow matching (a ${field.type} of hidden layers ${field.hidden.join('×')} with a ${field.condition.embeddingDim}-d class embedding joined by ${field.condition.join}, condition dropout ${MNIST_CONDITION_DROPOUT}, batch ${args.batchSize}; ${args.flowSamplerSteps} Euler steps) sampled with guidance w, and the one-step map ψ(z | c) distilled from it at w (${args.distillPairs} teacher samples of ${args.distillTeacherSteps} Euler steps). ${args.samples} samples, the digits 0…9 in turn; class accuracy by pfm's LeNet; FLD against the 1,000 test digits; steps and training seconds of the teacher (flow rows) or of the distillation.`,
    '',
    '| model | seed | w | class accuracy | FLD | NFE | ms/image | steps | train s |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of records) {
    if (r.status !== 'ok') {
      lines.push(`| ${r.model} | ${r.seed} | ${r.guidance} | failed: ${r.error ?? ''} | | | | | |`);
      continue;
    }
    const training = r.steps !== undefined ? `${r.steps} | ${r.trainSeconds!.toFixed(0)}` : '(reloaded) |';
    lines.push(`| ${r.model} | ${r.seed} | ${r.guidance} | ${(100 * r.classAccuracy!).toFixed(1)}% | ${r.fld!.toFixed(2)} | ${r.nfe} | ${r.sampleMsPerImage!.toFixed(1)} | ${training} |`);
  }
  return `${lines.join('\n')}\n`;
}
