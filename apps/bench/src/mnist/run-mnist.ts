// The MNIST track: for every (seed, method) the recipe of `mnist-recipes.ts` trained on the
// training digits within a budget of steps and minutes, then measured on the 1,000 test digits
// by FLD, KID, bits/dim, NFE and sampling time, with FLD against Euler steps (flow matching) and
// against training time. Records are written after every run (temporary file, then rename) and
// runs already recorded are skipped, so an interrupted suite resumes where it stopped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, encodeModelFile, encodeNpy, modelToContent, parseNpy, type Model, type Registry, type SampleOptions } from '@pfm/core';
import { frechetLenetDistance, kernelLenetDistance, MNIST_EVENT_SHAPE } from '@pfm/datasets';
import { writePngGrid } from '@pfm/datasets/node';
import { appRoot } from '../app-root.js';
import { findPython } from '../speed/python-reference.js';
import { recipeSettings, type MnistArgs } from './mnist-args.js';
import { mnistRecipe, mnistTeacherRecipe, type MnistMethod } from './mnist-recipes.js';
import { mnistMarkdown, type FldAtNfe, type MnistMetrics, type MnistRecord } from './mnist-summary.js';
import { conditionalMarkdown, runConditionalMnist, type ConditionalRecord } from './conditional-mnist.js';
import { clippedSamples } from './clipped-samples.js';
import { loadMnistSplit, type MnistSplit } from './mnist-split.js';
import { sampledFld } from './sampled-fld.js';
import { trainWithinBudget } from './train-within-budget.js';
import { writeAtomic } from '../report/write-atomic.js';

/** The twin script, relative to the bench folder. */
export const MNIST_TWIN_SCRIPT = 'reference/mnist-twin.py';

const DIM = 784;
/** Test digits per bits/dim batch (bounds the memory of a flow's or VAE's pass). */
const BITS_CHUNK = 100;

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
        fldByNfe.push({ nfe, fld: steps === args.flowSamplerSteps ? fld : sampledFld(model, args.samples, seed, split.test, options) });
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

/** Files a twin run reads or writes besides its recipe: a distillation's teacher, a flow's weights. */
export interface TwinFiles {
  /** distill: the flow-matching teacher's recipe. */
  teacher?: string;
  /** distill: the teacher's weights, read when the file exists, else written after training it. */
  teacherWeights?: string;
  /** The trained network's weights (flow matching: the teacher the distillation of the seed reads). */
  saveWeights?: string;
}

/** The twin's command line for one recipe (its argparse interface). */
export function twinArgv(script: string, paths: { recipe: string; train: string; out: string; test?: string }, args: Pick<MnistArgs, 'samples' | 'threads' | 'minutes'>, seed: number, files: TwinFiles = {}): string[] {
  return [
    script, '--recipe', paths.recipe, '--train', paths.train, '--samples', String(args.samples), '--sample-seed', String(seed + 1000), '--out', paths.out, '--threads', String(args.threads), '--time-limit', String(args.minutes),
    ...(paths.test !== undefined ? ['--test', paths.test] : []),
    ...(files.teacher !== undefined ? ['--teacher', files.teacher] : []),
    ...(files.teacherWeights !== undefined ? ['--teacher-weights', files.teacherWeights] : []),
    ...(files.saveWeights !== undefined ? ['--save-weights', files.saveWeights] : []),
  ];
}

/**
 * The files of method's twin run for seed under `out`: flow matching saves its field where the
 * distillation of the same seed reads its teacher (trained by the twin first when missing), as
 * pfm's track reuses models/flow-matching-seedS.json.
 */
export function twinFiles(out: string, method: MnistMethod, seed: number): TwinFiles {
  const weights = resolve(out, 'twin', `flow-matching-seed${seed}.pt`);
  if (method === 'flow-matching') return { saveWeights: weights };
  if (method === 'distill') return { teacher: resolve(out, 'recipes', `${method}-seed${seed}.teacher.json`), teacherWeights: weights };
  return {};
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
function runTwin(args: MnistArgs, python: string, script: string, method: MnistMethod, seed: number, paths: { train: string; test: string }, test: tf.Tensor2D): MnistMetrics {
  const wallStart = performance.now();
  mkdirSync(resolve(args.out, 'twin'), { recursive: true });
  const out = resolve(args.out, 'twin', `${method}-seed${seed}.samples.npy`);
  const recipe = resolve(args.out, 'recipes', `${method}-seed${seed}.json`);
  const argv = twinArgv(script, { recipe, train: paths.train, out, test: paths.test }, args, seed, twinFiles(args.out, method, seed));
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
    // The training and test digits as the twin reads them: .npy of shape (n, 28, 28, 1); the
    // twin's density models report bits/dim on the same test digits as pfm's.
    const twinData = { train: resolve(args.out, 'data', 'mnist-train.npy'), test: resolve(args.out, 'data', 'mnist-test.npy') };
    if (python) {
      mkdirSync(join(args.out, 'data'), { recursive: true });
      for (const [path, x] of [[twinData.train, data.train], [twinData.test, data.test]] as const) {
        writeAtomic(path, encodeNpy({ rows: x.shape[0], cols: DIM, values: x.dataSync() as Float32Array, shape: [...MNIST_EVENT_SHAPE] }));
      }
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
            const metrics = impl === 'pfm' ? await runPfm(args, method, data, seed, registry, log) : runTwin(args, python!, twinScript, method, seed, twinData, data.test);
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
