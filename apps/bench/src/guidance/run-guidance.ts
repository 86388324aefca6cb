// The guidance suite: for every seed one labelled training set of 8gaussians (each point's mode is
// its class) and one held-out set, then every method trained on it with the classes as its
// condition, and sampled for the classes 0…7 in turn: at every guidance scale w for the flows
// trained with condition dropout, once for the others. Each draw is scored by the fraction of
// samples nearest their requested mode and by the mean over classes of the energy distance between
// the class's samples and its held-out points. Records are written after every run (temporary file,
// then rename) and runs already recorded are skipped, so an interrupted suite resumes.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Model, type Registry } from '@pfm/core';
import { EIGHT_GAUSSIANS_CLASSES, labelledEightGaussians, ownModeFraction } from '@pfm/core/testing';
import { energyDistance } from '@pfm/ipm';
import { trainToCompletion } from '../registry/train-to-completion.js';
import type { GuidanceArgs } from './guidance-args.js';
import { guidanceRecipe, isGuided, type GuidanceMethod } from './guidance-recipes.js';
import { writeAtomic } from '../report/write-atomic.js';

/** One trained model of one seed, sampled at one guidance scale (null: the model takes none). */
export interface GuidanceRecord {
  method: GuidanceMethod;
  seed: number;
  guidance: number | null;
  status: 'ok' | 'failed';
  error?: string;
  /** Fraction of samples nearest the centre of their requested mode (1/8 when the label is ignored). */
  ownMode?: number;
  /** Mean over the 8 classes of the energy distance between the class's samples and its held-out points. */
  classEnergy?: number;
  trainSeconds?: number;
}

interface GuidanceFile {
  format: 'pfm-bench-guidance';
  version: 1;
  args: Omit<GuidanceArgs, 'out' | 'threads'>;
  records: GuidanceRecord[];
}

function recordKey(r: Pick<GuidanceRecord, 'method' | 'seed' | 'guidance'>, args: GuidanceArgs): string {
  return JSON.stringify([r.method, r.seed, r.guidance, args.steps, args.trainSize, args.samples]);
}

/** The rows of `values` (`[n, 2]`, row-major) whose label is `k`, as a tensor `[m, 2]`. */
function rowsOfClass(values: Float32Array, labels: Int32Array, k: number): tf.Tensor2D {
  const picked: number[] = [];
  labels.forEach((label, i) => {
    if (label === k) picked.push(values[2 * i]!, values[2 * i + 1]!);
  });
  return tf.tensor2d(picked, [picked.length / 2, 2]);
}

/** Own-mode fraction and mean per-class energy distance of `model`'s samples for the classes 0…7 in turn. */
export function measureConditional(model: Model, test: { values: Float32Array; labels: Int32Array }, n: number, seed: number, guidance: number | null): { ownMode: number; classEnergy: number } {
  const wanted = Int32Array.from({ length: n }, (_, i) => i % 8);
  const x = model.sample(n, createRng(seed).fold(211), { condition: wanted, ...(guidance === null ? {} : { guidance }) });
  try {
    const values = Float32Array.from(x.dataSync());
    if (values.some((v) => !Number.isFinite(v))) throw new Error('the samples are not all finite');
    let energy = 0;
    for (let k = 0; k < 8; k++) {
      energy += tf.tidy(() => energyDistance(rowsOfClass(values, wanted, k), rowsOfClass(test.values, test.labels, k)).dataSync()[0]!);
    }
    return { ownMode: ownModeFraction(x, wanted), classEnergy: energy / 8 };
  } finally {
    x.dispose();
  }
}

/** Runs the suite; `log` receives one line per record. Returns every record (old and new). */
export async function runGuidance(args: GuidanceArgs, registry: Registry, log: (line: string) => void): Promise<GuidanceRecord[]> {
  mkdirSync(args.out, { recursive: true });
  const jsonPath = join(args.out, 'guidance.json');
  const { out: _out, threads: _threads, ...kept } = args;
  const file: GuidanceFile = existsSync(jsonPath)
    ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as GuidanceFile)
    : { format: 'pfm-bench-guidance', version: 1, args: kept, records: [] };
  if (file.format !== 'pfm-bench-guidance') throw new Error(`${jsonPath}: not a guidance report (format ${JSON.stringify(file.format)})`);
  const done = new Map(file.records.map((r) => [recordKey(r, args), r]));
  const save = () => {
    file.records = [...done.values()];
    writeAtomic(jsonPath, `${JSON.stringify(file, null, 1)}\n`);
    writeAtomic(join(args.out, 'guidance.md'), guidanceMarkdown(file.records, args));
  };
  for (const seed of args.seeds) {
    const train = labelledEightGaussians(args.trainSize, 1000 + seed);
    const held = labelledEightGaussians(args.samples, 2000 + seed);
    const test = { values: Float32Array.from(held.x.dataSync()), labels: Int32Array.from(held.labels.dataSync()) };
    tf.dispose([held.x, held.labels]);
    try {
      for (const method of args.methods) {
        const scales = isGuided(method) ? args.guidance : [null];
        const todo = scales.filter((w) => !done.has(recordKey({ method, seed, guidance: w }, args)));
        if (todo.length === 0) continue;
        let model: Model | undefined;
        let seconds = 0;
        try {
          ({ model, seconds } = await trainToCompletion(guidanceRecipe(method, args.steps, seed), train.x, registry, { spec: EIGHT_GAUSSIANS_CLASSES, rows: train.labels }));
        } catch (error) {
          for (const w of todo) done.set(recordKey({ method, seed, guidance: w }, args), { method, seed, guidance: w, status: 'failed', error: String((error as Error).message ?? error) });
          log(`${method} seed ${seed}: failed: ${(error as Error).message}`);
          save();
          continue;
        }
        try {
          for (const w of todo) {
            let record: GuidanceRecord;
            try {
              record = { method, seed, guidance: w, status: 'ok', ...measureConditional(model, test, args.samples, seed, w), trainSeconds: seconds };
              log(`${method} seed ${seed}${w === null ? '' : ` w=${w}`}: own mode ${(record.ownMode! * 100).toFixed(1)}%, class energy ${record.classEnergy!.toFixed(4)} (${seconds.toFixed(0)} s)`);
            } catch (error) {
              record = { method, seed, guidance: w, status: 'failed', error: String((error as Error).message ?? error) };
              log(`${method} seed ${seed}${w === null ? '' : ` w=${w}`}: failed: ${record.error}`);
            }
            done.set(recordKey(record, args), record);
            save();
          }
        } finally {
          model.dispose();
        }
      }
    } finally {
      tf.dispose([train.x, train.labels]);
    }
  }
  save();
  return file.records;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const spread = (xs: number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1)));

/** The report: one row per method and guidance scale, mean ± standard deviation over seeds. */
export function guidanceMarkdown(records: readonly GuidanceRecord[], args: Pick<GuidanceArgs, 'steps' | 'trainSize' | 'samples'>): string {
  const rows = new Map<string, GuidanceRecord[]>();
  for (const r of records) {
    const key = JSON.stringify([r.method, r.guidance]);
    rows.set(key, [...(rows.get(key) ?? []), r]);
  }
  const lines = [
    '# Class-conditional sampling against guidance (labelled 8gaussians)',
    '',
    `${args.steps} training steps on ${args.trainSize} points, ${args.samples} samples per run (the classes 0…7 in turn) and as many held-out points.`,
    'Own mode: the fraction of samples nearest their requested mode (1/8 = 12.5% for a sampler that ignores its label).',
    'Class energy: the mean over classes of the energy distance between the class’s samples and its held-out points.',
    'w: the classifier-free guidance scale of the flows trained with condition dropout (0 unconditional, 1 conditional); — for the models that take none.',
    '',
    '| method | w | seeds | own mode (%) | class energy | failed |',
    '|---|---|---|---|---|---|',
  ];
  for (const group of rows.values()) {
    const ok = group.filter((r) => r.status === 'ok');
    const own = ok.map((r) => 100 * r.ownMode!);
    const energy = ok.map((r) => r.classEnergy!);
    const fmt = (xs: number[], digits: number) => (xs.length === 0 ? '—' : `${mean(xs).toFixed(digits)} ± ${spread(xs).toFixed(digits)}`);
    const first = group[0]!;
    lines.push(`| ${first.method} | ${first.guidance ?? '—'} | ${ok.length} | ${fmt(own, 1)} | ${fmt(energy, 4)} | ${group.length - ok.length} |`);
  }
  return `${lines.join('\n')}\n`;
}
