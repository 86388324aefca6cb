// The parity suite: for every (target, d, seed) one training set and one held-out set, then for
// every method the same recipe trained by pfm (in this process) and by the PyTorch twin (a child
// process), both sides measured by the same code on the same held-out points. Records are written
// after every run (temporary file, then rename) and runs already recorded are skipped, so an
// interrupted suite resumes where it stopped.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, formatCsv, modelToContent, parseCsv, type Registry } from '@pfm/core';
import { appRoot } from '../app-root.js';
import { sampleMetrics } from '../metrics/sample-metrics.js';
import { findPython } from '../speed/python-reference.js';
import type { ParityArgs } from './parity-args.js';
import { COMMON_NOISE, mergeParity } from './merge-parity.js';
import { readParityFile } from './parity-file.js';
import { mixingOrdersFor, readMixingOrders, type MixingOrdersFile } from './mixing-orders.js';
import { nllNeedsOde, parityRecipe, parityTeacherRecipe, type ParityMethod } from './parity-recipes.js';
import { parityMarkdown, parityRows, type ParityMetrics, type ParityRecord } from './parity-summary.js';
import { sampleTarget, type ParityTarget } from './parity-targets.js';
import { trainToCompletion } from '../registry/train-to-completion.js';
import { writeAtomic } from '../report/write-atomic.js';

/** The twin script, relative to the bench folder. */
export const TWIN_SCRIPT = 'reference/parity-twin.py';

/**
 * The stream of a run's samples: every parity method maps N(0, I) noise [n, d], drawn as
 * `rng.normal([n, d])` from it, to its samples (pfm's side; the twin's with --common-noise).
 */
function sampleRng(seed: number) {
  return createRng(seed).fold(103);
}

interface DataSplit {
  train: tf.Tensor2D;
  test: tf.Tensor2D;
  trainPath: string;
  testPath: string;
}

/** Reads a headerless CSV of `cols` numbers per row (core's parser: errors name the file, row and column). */
export function readCsvRows(path: string, cols: number): Float32Array {
  const table = parseCsv(readFileSync(path, 'utf8'), { source: path, header: false });
  if (table.cols !== cols) throw new Error(`${path}: ${table.cols} columns, expected ${cols}`);
  return table.values;
}

function makeSplit(args: ParityArgs, target: ParityTarget, dim: number, runSeed: number): DataSplit {
  const dir = join(args.out, 'data');
  mkdirSync(dir, { recursive: true });
  const seed = args.dataSeed ?? runSeed;
  const root = createRng(seed).fold(dim);
  const train = sampleTarget(target, dim, args.trainSize, root.fold(101));
  const test = sampleTarget(target, dim, args.samples, root.fold(102));
  const trainPath = resolve(dir, `${target}-d${dim}-seed${seed}-train.csv`);
  const testPath = resolve(dir, `${target}-d${dim}-seed${seed}-test.csv`);
  writeAtomic(trainPath, formatCsv({ rows: args.trainSize, cols: dim, values: train }));
  writeAtomic(testPath, formatCsv({ rows: args.samples, cols: dim, values: test }));
  return { train: tf.tensor2d(train, [args.trainSize, dim]), test: tf.tensor2d(test, [args.samples, dim]), trainPath, testPath };
}

function measure(x: tf.Tensor2D, test: tf.Tensor2D, nll: number | null, trainSeconds: number): ParityMetrics {
  const m = sampleMetrics(x, test);
  return { w2: m.w2, slicedW2: m.slicedW, energy: m.energy, nll, trainSeconds };
}

/** The recipe of one run: the method's, with the seed and the file's mixing orders (when it has them). */
export function runRecipe(method: ParityMethod, steps: number, seed: number, dim: number, orders: MixingOrdersFile | undefined): Record<string, unknown> {
  const recipe: Record<string, unknown> = { ...parityRecipe(method, steps), seed };
  const mixingOrders = mixingOrdersFor(orders, method, dim, seed);
  if (mixingOrders) recipe.options = { ...(recipe.options as object), mixingOrders };
  return recipe;
}

async function runPfm(args: ParityArgs, method: ParityMethod, split: DataSplit, seed: number, registry: Registry, orders?: MixingOrdersFile): Promise<ParityMetrics> {
  const recipe = runRecipe(method, args.steps, seed, split.train.shape[1], orders);
  const teacherRecipe = parityTeacherRecipe(method, args.steps);
  let seconds = 0;
  if (teacherRecipe) {
    const teacher = await trainToCompletion({ ...teacherRecipe, seed }, split.train, registry);
    try {
      recipe.options = { ...(recipe.options as object), teacher: modelToContent(teacher.model, registry) };
      seconds += teacher.seconds;
    } finally {
      teacher.model.dispose();
    }
  }
  const { model, seconds: own } = await trainToCompletion(recipe, split.train, registry);
  try {
    let nll: number | null = null;
    if (typeof model.logProb === 'function' && !(args.noFlowNll && nllNeedsOde(method))) {
      nll = tf.tidy(() => tf.neg(tf.mean(model.logProb!(split.test))).dataSync()[0]!);
    }
    const x = model.sample(args.samples, sampleRng(seed));
    try {
      return measure(x, split.test, nll, seconds + own);
    } finally {
      x.dispose();
    }
  } finally {
    model.dispose();
  }
}

function runTwin(args: ParityArgs, python: string, method: ParityMethod, split: DataSplit, seed: number, dim: number, orders?: MixingOrdersFile): ParityMetrics {
  const dir = join(args.out, 'twin');
  mkdirSync(dir, { recursive: true });
  const data = split.trainPath.replace(/^.*[\\/]/, '').replace(/-train\.csv$/, '');
  const stem = resolve(dir, `${method}-${data}${args.dataSeed === undefined ? '' : `-run${seed}`}`);
  const recipePath = `${stem}.recipe.json`;
  writeAtomic(recipePath, JSON.stringify(runRecipe(method, args.steps, seed, dim, orders)));
  const argv = [join(appRoot(), TWIN_SCRIPT), '--recipe', recipePath, '--train', split.trainPath, '--test', split.testPath];
  argv.push('--samples', String(args.samples), '--sample-seed', String(seed + 1000), '--out', `${stem}.samples.csv`, '--threads', String(args.threads));
  if (args.commonNoise) {
    // pfm's noise of this run, float32 [samples, dim] row-major: the twin maps it instead of its own draw.
    const noisePath = `${stem}.noise.f32`;
    const noise = sampleRng(seed).normalArray(args.samples * dim);
    writeAtomic(noisePath, new Uint8Array(noise.buffer, noise.byteOffset, noise.byteLength));
    argv.push('--sample-noise', noisePath);
  }
  const teacher = parityTeacherRecipe(method, args.steps);
  if (teacher) {
    writeAtomic(`${stem}.teacher.json`, JSON.stringify({ ...teacher, seed }));
    argv.push('--teacher-recipe', `${stem}.teacher.json`);
  }
  const r = spawnSync(python, argv, { encoding: 'utf8', timeout: 6 * 3600_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    throw new Error(`twin exited with ${r.status ?? r.signal}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  }
  const report = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { trainSeconds?: number; nll?: number | null };
  const samples = readCsvRows(`${stem}.samples.csv`, dim);
  if (samples.length !== args.samples * dim) throw new Error(`twin wrote ${samples.length / dim} samples, expected ${args.samples}`);
  const x = tf.tensor2d(samples, [args.samples, dim]);
  try {
    return measure(x, split.test, typeof report.nll === 'number' ? report.nll : null, report.trainSeconds ?? Number.NaN);
  } finally {
    x.dispose();
  }
}

/**
 * The run and its settings; a fixed data seed, then common sample noise, are further entries
 * (merge-parity's settingsOf reads them back).
 */
function recordKey(r: Pick<ParityRecord, 'target' | 'dim' | 'method' | 'seed' | 'impl'>, args: ParityArgs): string {
  const settings = [args.steps, args.trainSize, args.samples, ...(args.dataSeed === undefined ? [] : [args.dataSeed]), ...(args.commonNoise ? [COMMON_NOISE] : [])];
  return JSON.stringify([r.target, r.dim, r.method, r.seed, r.impl, ...settings]);
}

/**
 * Runs the suite; returns every record (earlier ones included). With `args.merge`, trains nothing:
 * the records of those folders are merged into `args.out` (see mergeParity).
 */
export async function runParity(args: ParityArgs, registry: Registry, log: (line: string) => void): Promise<ParityRecord[]> {
  if (args.merge.length > 0) return mergeParity(args.merge, args.out, log);
  mkdirSync(args.out, { recursive: true });
  const resultsPath = join(args.out, 'parity.json');
  const file = readParityFile(resultsPath);
  const done = new Set(file.records.filter((r) => r.status === 'ok').map((r) => r.key));
  const python = args.pfmOnly ? undefined : findPython(['torch', 'ot', 'numpy']);
  const orders = args.mixingOrders === undefined ? undefined : readMixingOrders(args.mixingOrders);
  const notes = [
    `steps ${args.steps}, batch 512, training set ${args.trainSize}, ${args.samples} model samples against ${args.samples} held-out points, seeds ${args.seeds.join(', ')}, ${args.threads} thread(s) each side`,
    python ? `twin: ${TWIN_SCRIPT} run by ${python}` : 'twin not run (no python with torch, POT and numpy, or --pfm-only)',
    ...(args.dataSeed === undefined ? [] : [`one training and held-out set for every seed, drawn with data seed ${args.dataSeed}: the seeds vary the initialisation and the training noise only`]),
    ...(args.noFlowNll ? ['flow matching / OT-CFM: no test NLL (--no-flow-nll)'] : []),
    ...(args.commonNoise ? ["common sample noise: the twin maps pfm's N(0, I) draw of each run to its samples (--common-noise)"] : []),
    ...(orders ? [`realnvp / nsf: the mixing-layer orders of ${args.mixingOrders} on both sides, where it has them`] : []),
  ];
  const save = () => {
    writeAtomic(resultsPath, `${JSON.stringify(file, null, 1)}\n`);
    writeAtomic(join(args.out, 'parity.md'), parityMarkdown(parityRows(file.records), notes));
  };
  for (const target of args.targets) {
    for (const dim of args.dims) {
      // Data are drawn only for a run still to do: one split per seed, or with a fixed data seed
      // one for the (target, d) cell, kept across its seeds.
      let shared: DataSplit | undefined;
      const draw = (seed: number): DataSplit => {
        const split = makeSplit(args, target, dim, seed);
        log(`${target} d=${dim}: data of seed ${args.dataSeed ?? seed} (${args.trainSize} training, ${args.samples} held-out points)`);
        return split;
      };
      try {
        for (const seed of args.seeds) {
          let own: DataSplit | undefined;
          const splitOf = (): DataSplit => (args.dataSeed === undefined ? (own ??= draw(seed)) : (shared ??= draw(seed)));
          try {
            for (const method of args.methods) {
              for (const impl of python ? (['pfm', 'torch'] as const) : (['pfm'] as const)) {
                const base = { target, dim, method, seed, impl, ...(args.dataSeed === undefined ? {} : { dataSeed: args.dataSeed }), ...(args.commonNoise ? { commonNoise: true as const } : {}) };
                const key = recordKey(base, args);
                if (done.has(key)) continue;
                const started = performance.now();
                let record: ParityRecord;
                try {
                  const split = splitOf();
                  const metrics = impl === 'pfm' ? await runPfm(args, method, split, seed, registry, orders) : runTwin(args, python!, method, split, seed, dim, orders);
                  record = { ...base, status: 'ok', metrics };
                } catch (error) {
                  record = { ...base, status: 'failed', error: error instanceof Error ? error.message : String(error) };
                }
                file.records = [...file.records.filter((r) => r.key !== key), { ...record, key }];
                save();
                const m = record.metrics;
                log(
                  `${target} d=${dim} ${method} seed ${seed} ${impl}: ` +
                    (m
                      ? `W2 ${m.w2.toFixed(3)} sliced ${m.slicedW2.toFixed(3)} energy ${m.energy.toFixed(4)}${m.nll === null ? '' : ` NLL ${m.nll.toFixed(3)}`}`
                      : `failed: ${record.error}`) +
                    ` (${((performance.now() - started) / 1000).toFixed(0)} s)`,
                );
              }
            }
          } finally {
            if (own) tf.dispose([own.train, own.test]);
          }
        }
      } finally {
        if (shared) tf.dispose([shared.train, shared.test]);
      }
    }
  }
  save();
  return file.records;
}
