// The MNIST track: for every (seed, method) the recipe of `mnist-recipes.ts` trained on the
// training digits within a budget of steps and minutes, then measured on the 1,000 test digits
// by FLD, KID, bits/dim, NFE and sampling time, with FLD against Euler steps (flow matching) and
// against training time. Records are written after every run (temporary file, then rename) and
// runs already recorded are skipped, so an interrupted suite resumes where it stopped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  createRng,
  createTrainingRun,
  encodeModelFile,
  encodeNpy,
  modelToContent,
  parseNpy,
  parseRecipe,
  train,
  withOptimizerEntry,
  type Model,
  type Registry,
  type SampleOptions,
} from '@pfm/core';
import { frechetLenetDistance, kernelLenetDistance, MNIST_EVENT_SHAPE } from '@pfm/datasets';
import { readMnist, writePngGrid } from '@pfm/datasets/node';
import { appRoot } from '../app-root.js';
import { findPython } from '../speed/python-reference.js';
import type { MnistArgs } from './mnist-args.js';
import { mnistRecipe, mnistTeacherRecipe, type MnistMethod } from './mnist-recipes.js';
import { mnistMarkdown, type FldAtNfe, type FldAtTime, type MnistMetrics, type MnistRecord } from './mnist-summary.js';
import { conditionalMarkdown, runConditionalMnist, type ConditionalRecord } from './conditional-mnist.js';

/** The twin script, relative to the bench folder. */
export const MNIST_TWIN_SCRIPT = 'reference/mnist-twin.py';

const DIM = 784;
/** Test digits per bits/dim batch (bounds the memory of a flow's or VAE's pass). */
const BITS_CHUNK = 100;
/** Samples drawn per call of `model.sample`. */
const SAMPLE_CHUNK = 100;

/** Training and test digits `[n, 784]` (owned by the caller), with their digits when known. */
export interface MnistSplit {
  train: tf.Tensor2D;
  test: tf.Tensor2D;
  /** The digit of each training row (the class-conditional case needs them). */
  trainLabels?: Int32Array;
  /** The digit of each test row. */
  testLabels?: Int32Array;
}

/** Writes `path` through a temporary file and a rename, so a reader never sees half a file. */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Row indices of a subset of `size` rows out of `rows`, evenly spaced: the split is ordered by
 * digit, so an evenly spaced subset keeps the classes balanced where the first rows would not.
 */
export function spacedRows(rows: number, size: number): Int32Array {
  if (!Number.isInteger(size) || size < 1 || size > rows) throw new RangeError(`train size must be an integer in [1, ${rows}], got ${size}`);
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.floor((i * rows) / size);
  return out;
}

/** Reads the MNIST split (`trainSize` evenly spaced training digits, all 1,000 test digits). */
export function loadMnistSplit(trainSize: number): MnistSplit {
  const train = readMnist({ split: 'train' });
  const test = readMnist({ split: 'test' });
  const keep = spacedRows(train.rows, trainSize);
  const values = new Float32Array(trainSize * DIM);
  keep.forEach((row, i) => values.set(train.values.subarray(row * DIM, (row + 1) * DIM), i * DIM));
  return {
    train: tf.tensor2d(values, [trainSize, DIM]),
    test: tf.tensor2d(test.values, [test.rows, DIM]),
    trainLabels: Int32Array.from(keep, (row) => train.labels[row]!),
    testLabels: test.labels,
  };
}

/**
 * `n` model samples clipped to [0, 1], drawn by batches of {@link SAMPLE_CHUNK} (a U-Net's
 * activations for 1,000 images at once overflow the wasm heap), and the milliseconds it took.
 * A `condition` given per sample (an Int32Array of n labels) is split with the batches.
 */
export function clippedSamples(model: Model, n: number, seed: number, options?: SampleOptions): { x: tf.Tensor2D; ms: number } {
  const started = performance.now();
  const rng = createRng(seed).fold(103);
  const chunks: tf.Tensor2D[] = [];
  try {
    for (let start = 0, k = 0; start < n; start += SAMPLE_CHUNK, k++) {
      const size = Math.min(SAMPLE_CHUNK, n - start);
      const condition = options?.condition;
      const rows = condition instanceof Int32Array ? { ...options, condition: condition.subarray(start, start + size) } : options;
      const chunk = tf.tidy(() => tf.clipByValue(model.sample(size, rng.fold(k), rows), 0, 1) as tf.Tensor2D);
      chunk.dataSync();
      chunks.push(chunk);
    }
    const x = chunks.length === 1 ? chunks.pop()! : (tf.concat(chunks, 0) as tf.Tensor2D);
    return { x, ms: performance.now() - started };
  } finally {
    tf.dispose(chunks);
  }
}

function fldOf(model: Model, n: number, seed: number, test: tf.Tensor2D, options?: SampleOptions): number {
  const { x } = clippedSamples(model, n, seed, options);
  try {
    return frechetLenetDistance(x, test);
  } finally {
    x.dispose();
  }
}

/** Mean bits/dim of the dequantised test digits, by batches; null for a model without it. */
function testBitsPerDim(model: Model, test: tf.Tensor2D, seed: number): number | null {
  const bits = (model as { bitsPerDim?: (x: tf.Tensor2D, rng: ReturnType<typeof createRng>) => tf.Tensor1D }).bitsPerDim;
  if (typeof bits !== 'function') return null;
  const rows = test.shape[0];
  let sum = 0;
  for (let start = 0; start < rows; start += BITS_CHUNK) {
    const size = Math.min(BITS_CHUNK, rows - start);
    sum += tf.tidy(() => tf.sum(bits.call(model, tf.slice(test, [start, 0], [size, DIM]), createRng(seed).fold(104).fold(start))).dataSync()[0]!);
  }
  return sum / rows;
}

/** A model trained by {@link trainWithinBudget} and how its training went. */
export interface Trained {
  model: Model;
  steps: number;
  trainSeconds: number;
  stoppedBy: 'steps' | 'minutes';
  fldByTime: FldAtTime[];
}

/**
 * Trains `recipe` on `data` until its steps or `args.minutes` of training run out, measuring FLD
 * (on `args.checkpointSamples` samples of the current weights) at each fraction of the budget in
 * `args.checkpoints`; evaluation time is kept out of the budget and of the training time. With
 * `labels` (the digit of each training row) the run is class-conditional (10 classes); checkpoint
 * FLDs then sample the digits 0…9 in turn.
 */
export async function trainWithinBudget(
  recipe: Record<string, unknown>,
  split: MnistSplit,
  args: MnistArgs,
  registry: Registry,
  seed: number,
  labels?: Int32Array,
): Promise<Trained> {
  const parsed = parseRecipe(recipe, registry);
  const rows = labels ? tf.tensor1d(labels, 'int32') : undefined;
  const condition = rows ? { spec: { kind: 'class' as const, classes: 10 }, rows } : undefined;
  const checkpointOptions: SampleOptions | undefined = labels ? { condition: Int32Array.from({ length: args.checkpointSamples }, (_, i) => i % 10) } : undefined;
  let run: ReturnType<typeof createTrainingRun>;
  try {
    run = createTrainingRun(parsed, split.train, registry, { eventShape: MNIST_EVENT_SHAPE, ...(condition ? { condition } : {}) });
  } catch (error) {
    rows?.dispose();
    throw error;
  }
  const budget = args.minutes * 60;
  const controller = new AbortController();
  const fldByTime: FldAtTime[] = [];
  let evalSeconds = 0;
  let next = 0;
  let stoppedBy: 'steps' | 'minutes' = 'steps';
  const started = performance.now();
  try {
    const result = await train(run, split.train, {
      steps: parsed.steps,
      batchSize: parsed.batchSize,
      seed: parsed.seed,
      optimizer: withOptimizerEntry(parsed.optimizer, registry),
      ...(parsed.ema ? { ema: parsed.ema } : {}),
      ...(rows ? { condition: rows } : {}),
      signal: controller.signal,
      progressEvery: 1,
      onProgress: ({ step, steps }) => {
        const trained = (performance.now() - started) / 1000 - evalSeconds;
        const fraction = Math.max(step / steps, trained / budget);
        if (next < args.checkpoints.length && fraction >= args.checkpoints[next]! && step < steps) {
          while (next < args.checkpoints.length && fraction >= args.checkpoints[next]!) next++;
          const evalStart = performance.now();
          fldByTime.push({ step, seconds: trained, fld: fldOf(run.model, args.checkpointSamples, seed, split.test, checkpointOptions) });
          evalSeconds += (performance.now() - evalStart) / 1000;
        }
        if (trained >= budget && step < steps) {
          stoppedBy = 'minutes';
          controller.abort();
        }
      },
    });
    const trainSeconds = (performance.now() - started) / 1000 - evalSeconds;
    return { model: run.model, steps: result.steps, trainSeconds, stoppedBy, fldByTime };
  } catch (error) {
    run.model.dispose();
    throw error;
  } finally {
    run.dispose?.();
    rows?.dispose();
  }
}

/** The teacher of `distill`: the flow-matching model of this seed saved earlier, or one trained now. */
async function teacherContent(args: MnistArgs, split: MnistSplit, seed: number, registry: Registry, teacherRecipe: Record<string, unknown>, log: (line: string) => void): Promise<Record<string, unknown>> {
  const path = join(args.out, 'models', `flow-matching-seed${seed}.json`);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  log(`distill seed ${seed}: no flow-matching model in ${path}; training the teacher first`);
  const teacher = await trainWithinBudget({ ...teacherRecipe, seed }, split, { ...args, checkpoints: [] }, registry, seed);
  try {
    const json = encodeModelFile(modelToContent(teacher.model, registry), { weights: 'inline', source: path }).json;
    writeAtomic(path, json);
    return JSON.parse(json) as Record<string, unknown>;
  } finally {
    teacher.model.dispose();
  }
}

/** The recipe's options without the teacher (a model file records how it was trained, not its teacher's weights). */
function withoutTeacher(options: unknown): unknown {
  if (typeof options !== 'object' || options === null || !('teacher' in options)) return options;
  const { teacher: _teacher, ...rest } = options as Record<string, unknown>;
  return rest;
}

function recipeSettings(args: MnistArgs) {
  return { steps: args.steps, batchSize: args.batchSize, distillPairs: args.distillPairs, distillTeacherSteps: args.distillTeacherSteps, flowSamplerSteps: args.flowSamplerSteps };
}

async function runPfm(args: MnistArgs, method: MnistMethod, split: MnistSplit, seed: number, registry: Registry, log: (line: string) => void): Promise<MnistMetrics> {
  const wallStart = performance.now();
  const recipe: Record<string, unknown> = { ...mnistRecipe(method, recipeSettings(args)), seed };
  const teacherRecipe = mnistTeacherRecipe(method, recipeSettings(args));
  if (teacherRecipe) recipe.options = { ...(recipe.options as object), teacher: await teacherContent(args, split, seed, registry, teacherRecipe, log) };
  const trained = await trainWithinBudget(recipe, split, args, registry, seed);
  const { model } = trained;
  try {
    // The model file `pfm sample` reads, and the teacher the distillation of this seed takes.
    const modelPath = join(args.out, 'models', `${method}-seed${seed}.json`);
    writeAtomic(modelPath, encodeModelFile(modelToContent(model, registry, { recipe: { ...recipe, options: withoutTeacher(recipe.options) } }), { weights: 'inline', source: modelPath }).json);
    const { x, ms } = clippedSamples(model, args.samples, seed);
    let fld: number;
    let kid: { mean: number; std: number };
    let lastFld: number;
    try {
      fld = frechetLenetDistance(x, split.test);
      kid = kernelLenetDistance(x, split.test);
      const n = Math.min(args.checkpointSamples, args.samples);
      lastFld = n === args.samples ? fld : tf.tidy(() => frechetLenetDistance(tf.slice(x, [0, 0], [n, DIM]), split.test));
      const grid = tf.tidy(() => tf.slice(x, [0, 0], [Math.min(64, args.samples), DIM]));
      try {
        await writePngGrid(join(args.out, `${method}-seed${seed}.png`), { rows: grid.shape[0], cols: DIM, values: grid.dataSync() as Float32Array, shape: MNIST_EVENT_SHAPE }, { columns: 8 });
      } finally {
        grid.dispose();
      }
    } finally {
      x.dispose();
    }
    const fldByNfe: FldAtNfe[] = [];
    if (method === 'flow-matching') {
      for (const steps of args.nfeSteps) {
        const options: SampleOptions = { integrator: 'euler', steps };
        const nfe = model.nfeFor?.(options) ?? steps;
        fldByNfe.push({ nfe, fld: steps === args.flowSamplerSteps ? fld : fldOf(model, args.samples, seed, split.test, options) });
      }
    }
    const bitsPerDim = testBitsPerDim(model, split.test, seed);
    return {
      fld,
      kid: kid.mean,
      kidStd: kid.std,
      bitsPerDim,
      nfe: model.nfe,
      sampleMsPerImage: ms / args.samples,
      steps: trained.steps,
      stepsPerSecond: trained.steps / trained.trainSeconds,
      trainSeconds: trained.trainSeconds,
      wallSeconds: (performance.now() - wallStart) / 1000,
      stoppedBy: trained.stoppedBy,
      fldByNfe,
      fldByTime: [...trained.fldByTime, { step: trained.steps, seconds: trained.trainSeconds, fld: lastFld }],
    };
  } finally {
    model.dispose();
  }
}

/** What the twin prints as the last line of its standard output. */
interface TwinReport {
  trainSeconds?: number;
  stepsPerSecond?: number;
  steps?: number;
  nfe?: number;
  /** Bits/dim of the test digits, null for a model without a density. */
  bpd?: number | null;
}

/** The twin's command line for one recipe (its argparse interface). */
export function twinArgv(script: string, paths: { recipe: string; train: string; out: string }, args: Pick<MnistArgs, 'samples' | 'threads' | 'minutes'>, seed: number): string[] {
  return [script, '--recipe', paths.recipe, '--train', paths.train, '--samples', String(args.samples), '--sample-seed', String(seed + 1000), '--out', paths.out, '--threads', String(args.threads), '--time-limit', String(args.minutes)];
}

function readSamples(path: string, rows: number): tf.Tensor2D {
  const table = parseNpy(new Uint8Array(readFileSync(path)), { source: path });
  if (table.cols !== DIM || table.rows !== rows) throw new Error(`${path}: ${table.rows} samples of ${table.cols} values, expected ${rows} of ${DIM}`);
  return tf.tidy(() => tf.clipByValue(tf.tensor2d(table.values, [rows, DIM]), 0, 1) as tf.Tensor2D);
}

/**
 * Runs the PyTorch twin on the same recipe and data (train and test digits as `.npy`), reads its
 * samples and measures them with pfm's code, so both columns come from one metric implementation.
 */
function runTwin(args: MnistArgs, python: string, script: string, method: MnistMethod, seed: number, train: string, test: tf.Tensor2D): MnistMetrics {
  const wallStart = performance.now();
  mkdirSync(resolve(args.out, 'twin'), { recursive: true });
  const out = resolve(args.out, 'twin', `${method}-seed${seed}.samples.npy`);
  const recipe = resolve(args.out, 'recipes', `${method}-seed${seed}.json`);
  const argv = twinArgv(script, { recipe, train, out }, args, seed);
  const r = spawnSync(python, argv, { encoding: 'utf8', timeout: 12 * 3600_000, maxBuffer: 64 << 20, env: { ...process.env, OMP_NUM_THREADS: String(args.threads) } });
  if (r.status !== 0) throw new Error(`twin exited with ${r.status ?? r.signal}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  const report = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as TwinReport;
  const sampleStart = performance.now();
  const x = readSamples(out, args.samples);
  try {
    const kid = kernelLenetDistance(x, test);
    const trainSeconds = report.trainSeconds ?? Number.NaN;
    const steps = report.steps ?? Math.round((report.stepsPerSecond ?? Number.NaN) * trainSeconds);
    return {
      fld: frechetLenetDistance(x, test),
      kid: kid.mean,
      kidStd: kid.std,
      bitsPerDim: typeof report.bpd === 'number' ? report.bpd : null,
      nfe: report.nfe ?? Number.NaN,
      // The twin does not time its sampling apart from the run: not reported.
      sampleMsPerImage: Number.NaN,
      steps,
      stepsPerSecond: report.stepsPerSecond ?? steps / trainSeconds,
      trainSeconds,
      wallSeconds: (sampleStart - wallStart) / 1000,
      stoppedBy: steps < args.steps ? 'minutes' : 'steps',
      fldByNfe: [],
      fldByTime: [],
    };
  } finally {
    x.dispose();
  }
}

function recordKey(r: Pick<MnistRecord, 'method' | 'seed' | 'impl'>, args: MnistArgs): string {
  return JSON.stringify([r.method, r.seed, r.impl, args.steps, args.minutes, args.samples, args.trainSize, args.batchSize, args.flowSamplerSteps]);
}

interface MnistFile {
  format: 'pfm-bench-mnist';
  version: 1;
  records: (MnistRecord & { key: string })[];
}

function readResults(path: string): MnistFile {
  if (!existsSync(path)) return { format: 'pfm-bench-mnist', version: 1, records: [] };
  let file: MnistFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as MnistFile;
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)}); move it away to start over`);
  }
  if (file === null || typeof file !== 'object' || file.format !== 'pfm-bench-mnist' || file.version !== 1 || !Array.isArray(file.records)) {
    throw new Error(`${path}: not an MNIST results file (format pfm-bench-mnist, version 1); move it away to start over`);
  }
  return file;
}

function describe(m: MnistMetrics | undefined, error: string | undefined): string {
  if (!m) return `failed: ${error ?? 'unknown error'}`;
  const bits = m.bitsPerDim === null ? '' : ` bits/dim ${m.bitsPerDim.toFixed(3)}`;
  return `FLD ${m.fld.toFixed(2)} KID ${m.kid.toPrecision(3)}${bits} NFE ${m.nfe}, ${m.steps} steps (${m.stepsPerSecond.toFixed(2)}/s)`;
}

/**
 * Runs the track; returns every record (earlier ones included). `split` replaces the MNIST digits
 * (tests pass a few); the caller keeps ownership of it.
 */
export async function runMnist(args: MnistArgs, registry: Registry, log: (line: string) => void, split?: MnistSplit): Promise<MnistRecord[]> {
  for (const dir of ['', 'recipes', 'models']) mkdirSync(join(args.out, dir), { recursive: true });
  const resultsPath = join(args.out, 'mnist.json');
  const file = readResults(resultsPath);
  const done = new Set(file.records.filter((r) => r.status === 'ok').map((r) => r.key));
  const twinScript = args.twin ? resolve(args.twin) : join(appRoot(), MNIST_TWIN_SCRIPT);
  if (args.twin && !args.pfmOnly && !existsSync(twinScript)) throw new Error(`--twin: no file ${args.twin}`);
  const python = args.pfmOnly || !existsSync(twinScript) ? undefined : findPython(['torch', 'numpy']);
  const budget = args.minutes >= 1 ? `${args.minutes} min` : `${(args.minutes * 60).toFixed(0)} s`;
  const notes = [
    `budget per method: ${args.steps} steps or ${budget} of training, whichever ends first; batch ${args.batchSize}; ${args.trainSize} training digits; seeds ${args.seeds.join(', ')}; wasm backend, ${args.threads} thread(s)`,
    `FLD and KID of ${args.samples} samples against the 1,000 test digits; FLD against training time on ${Math.min(args.checkpointSamples, args.samples)} samples at ${args.checkpoints.join(', ')} of the budget (current weights, before any weight average) and at the end`,
    `flow matching samples with ${args.flowSamplerSteps} Euler steps; distill fits ${args.distillPairs} teacher trajectories of ${args.distillTeacherSteps} Euler steps`,
    python ? `twin: ${args.twin ? 'the --twin script' : MNIST_TWIN_SCRIPT} run by ${python}` : `twin not run (${args.pfmOnly ? '--pfm-only' : existsSync(twinScript) ? 'no python with torch and numpy' : `no ${MNIST_TWIN_SCRIPT}`})`,
  ];
  let conditional: ConditionalRecord[] = [];
  const save = () => {
    writeAtomic(resultsPath, `${JSON.stringify(file, null, 1)}\n`);
    const section = conditional.length > 0 ? `\n${conditionalMarkdown(conditional, args)}` : '';
    writeAtomic(join(args.out, 'mnist.md'), `${mnistMarkdown(file.records, notes)}${section}`);
  };
  const data = split ?? loadMnistSplit(args.trainSize);
  try {
    if (args.conditional) {
      // The class-conditional case instead of the methods (its own records, conditional.json).
      await runConditionalMnist(args, data, registry, log, (records) => {
        conditional = records;
        writeAtomic(join(args.out, 'conditional.json'), `${JSON.stringify({ format: 'pfm-bench-mnist-conditional', version: 1, records }, null, 1)}\n`);
        save();
      });
      return file.records;
    }
    // The training digits as the twin reads them: .npy of shape (n, 28, 28, 1).
    const trainPath = resolve(args.out, 'data', 'mnist-train.npy');
    if (python) {
      mkdirSync(join(args.out, 'data'), { recursive: true });
      writeAtomic(trainPath, encodeNpy({ rows: data.train.shape[0], cols: DIM, values: data.train.dataSync() as Float32Array, shape: [...MNIST_EVENT_SHAPE] }));
    }
    for (const seed of args.seeds) {
      for (const method of args.methods) {
        const settings = recipeSettings(args);
        writeAtomic(join(args.out, 'recipes', `${method}-seed${seed}.json`), `${JSON.stringify({ ...mnistRecipe(method, settings), seed }, null, 1)}\n`);
        const teacher = mnistTeacherRecipe(method, settings);
        if (teacher) writeAtomic(join(args.out, 'recipes', `${method}-seed${seed}.teacher.json`), `${JSON.stringify({ ...teacher, seed }, null, 1)}\n`);
        for (const impl of python ? (['pfm', 'torch'] as const) : (['pfm'] as const)) {
          const base = { method, seed, impl };
          const key = recordKey(base, args);
          if (done.has(key)) continue;
          const started = performance.now();
          let record: MnistRecord;
          try {
            const metrics = impl === 'pfm' ? await runPfm(args, method, data, seed, registry, log) : runTwin(args, python!, twinScript, method, seed, trainPath, data.test);
            record = { ...base, status: 'ok', metrics };
          } catch (error) {
            record = { ...base, status: 'failed', error: error instanceof Error ? error.message : String(error) };
          }
          file.records = [...file.records.filter((r) => r.key !== key), { ...record, key }];
          save();
          log(`${method} seed ${seed} ${impl}: ${describe(record.metrics, record.error)} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
        }
      }
    }
  } finally {
    if (!split) tf.dispose([data.train, data.test]);
  }
  save();
  return file.records;
}
