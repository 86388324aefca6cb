// The quality matrix: configs × data sets × seeds. Each run is recorded (metrics, or its error)
// and results.json is rewritten atomically after every run; on start, runs already recorded with
// the same hash are skipped, so an interrupted matrix resumes where it stopped.
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Registry } from '@pfm/core';
import type { BenchArgs } from '../cli/bench-args.js';
import { progressBar } from '../report/progress-bar.js';
import { loadReferences } from '../report/references.js';
import { writeReport } from '../report/write-report.js';
import { configHash } from '../results/config-hash.js';
import { benchMachine, benchVersions } from '../results/environment.js';
import { readResults, writeResults } from '../results/results-file.js';
import type { RunRecord } from '../results/results-schema.js';
import { BENCH_DATASETS, type BenchDataset } from './bench-datasets.js';
import { defaultConfigsDir, loadBenchConfigs, type BenchConfig } from './bench-configs.js';
import { runPool, type MatrixTask, type TaskResult, type WorkerInit } from './matrix-pool.js';
import { QUICK_STEPS, quickNotes, quickRecipe } from './quick-limits.js';
import { runOne, teacherLookup, type RunOutput } from './run-one.js';

/**
 * Evaluation and training-set sizes of a mode. Full size trains on 10,000 points, the train split
 * of torchcfm's runner (train/val/test 10,000/1,000/1,000), where the published W2 come from.
 */
export function matrixSizes(args: BenchArgs): { samples: number; trainSize: number; maxSteps: number | undefined } {
  return args.quick
    ? { samples: args.samples ?? 1000, trainSize: args.trainSize ?? 4096, maxSteps: args.steps ?? QUICK_STEPS }
    : { samples: args.samples ?? 10_000, trainSize: args.trainSize ?? 10_000, maxSteps: args.steps };
}

/** --quick's data sets when none are named: the three with published numbers and the 1-D task. */
export const QUICK_DATASETS: readonly string[] = ['moons', '8gaussians', 'scurve', 'uniform-1d'];

/**
 * How many runs go at once: `--jobs`, or by default one (the full matrix is a benchmark: its
 * timings are meant for one process on a quiet machine) and, under --quick, one per core (a
 * smoke check, whose timings are not compared), never more than there are runs.
 */
export function matrixJobs(args: BenchArgs, runs: number, cores = availableParallelism()): number {
  const wanted = args.jobs === 'auto' || (args.jobs === undefined && args.quick) ? cores : (args.jobs ?? 1);
  return Math.max(1, Math.min(wanted, runs));
}

/** A config × data set pair left out because its method declares the data unsupported. */
export interface SkippedPair {
  name: string;
  method: string;
  dataset: string;
  reason: string;
}

/**
 * Why `method` cannot train on `dataset` (its registry entry's `unsupported`, e.g. coupling layers
 * on 1-D data), or undefined; such pairs fail by construction, so the matrix leaves them out.
 */
export function unsupportedReason(registry: Registry, method: string, dataset: BenchDataset): string | undefined {
  if (!registry.has('objective', method)) return undefined;
  return registry.get('objective', method).unsupported?.({ dim: dataset.dim });
}

interface Job {
  config: BenchConfig;
  dataset: BenchDataset;
  seed: number;
  recipe: Record<string, unknown>;
  hash: string;
}

/**
 * Runs the matrix of `args` with `registry` on the active backend; returns every record of
 * results.json. With more than one job (`matrixJobs`) the runs go to child processes running
 * `options.workerUrl` (default: `dist/matrix-worker.js`, so the package must be built).
 */
export async function runMatrix(args: BenchArgs, registry: Registry, backend: string, options: { workerUrl?: URL } = {}): Promise<RunRecord[]> {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const outDir = resolve(args.out);
  mkdirSync(outDir, { recursive: true });
  const resultsPath = join(outDir, 'results.json');
  const records = readResults(resultsPath).records;
  const refs = loadReferences();
  const unknownDatasets = args.datasets.filter((d) => !BENCH_DATASETS.some((b) => b.name === d));
  if (unknownDatasets.length) throw new Error(`--datasets: unknown ${unknownDatasets.join(', ')}; known: ${BENCH_DATASETS.map((d) => d.name).join(', ')}`);
  const wanted = args.datasets.length > 0 ? args.datasets : args.quick ? QUICK_DATASETS : BENCH_DATASETS.map((d) => d.name);
  const datasets = BENCH_DATASETS.filter((d) => wanted.includes(d.name));
  const all = loadBenchConfigs(args.configs ?? defaultConfigsDir(), BENCH_DATASETS.map((d) => d.name));
  const configs = all.filter((c) => args.methods.length === 0 || args.methods.includes(c.name) || args.methods.includes(String(c.recipe.method)));
  const unknownMethods = args.methods.filter((m) => !all.some((c) => c.name === m || c.recipe.method === m));
  if (unknownMethods.length) throw new Error(`--methods: no config for ${unknownMethods.join(', ')}; configs: ${all.map((c) => c.name).join(', ')}`);
  const bar = progressBar(1);
  const missing = registry.ids('objective').filter((id) => !all.some((c) => c.recipe.method === id));
  if (missing.length && args.methods.length === 0) bar.log(`note: registered objectives without a config (not in the matrix): ${missing.join(', ')}`);

  const { samples, trainSize, maxSteps } = matrixSizes(args);
  // --quick without --steps trims the slow configs further (fewer steps or smaller batches).
  const trimmed = args.quick && args.steps === undefined;
  const sized = (name: string, recipe: Record<string, unknown>) =>
    trimmed ? quickRecipe(name, recipe, maxSteps!) : maxSteps !== undefined ? { ...recipe, steps: Math.min(Number(recipe.steps ?? 2000), maxSteps) } : recipe;
  if (args.quick) {
    const notes = trimmed ? quickNotes(configs.map((c) => c.name)) : [];
    bar.log(`--quick: at most ${maxSteps} steps, ${trainSize} training points, ${samples} evaluation samples${notes.length ? '; slow configs trimmed further:' : ''}`);
    for (const line of notes) bar.log(line);
  }
  const versions = benchVersions();
  const machine = benchMachine();
  const jobs: Job[] = [];
  const skipped: SkippedPair[] = [];
  for (const dataset of datasets) {
    for (const config of configs) {
      const method = String((config.perDataset[dataset.name] ?? config.recipe).method);
      const reason = unsupportedReason(registry, method, dataset);
      if (reason !== undefined) {
        skipped.push({ name: config.name, method, dataset: dataset.name, reason });
        continue;
      }
      for (const seed of args.seeds) {
        const base = config.perDataset[dataset.name] ?? config.recipe;
        const recipe = { ...sized(config.name, base), seed };
        const hash = configHash({ recipe, dataset, samples, trainSize, backend, quick: args.quick });
        jobs.push({ config, dataset, seed, recipe, hash });
      }
    }
  }
  for (const p of skipped) bar.log(`skipped: ${p.name} × ${p.dataset} (${p.method} declares it unsupported: ${p.reason})`);
  const inMatrix = new Set(jobs.map((j) => j.hash));
  const done = new Map(records.map((r) => [r.hash, r]));
  const todo = jobs.filter((j) => {
    const r = done.get(j.hash);
    return r === undefined || (args.retryFailed && r.status === 'failed');
  });
  if (jobs.length > todo.length) bar.log(`resuming: ${jobs.length - todo.length} of ${jobs.length} runs already in ${resultsPath}`);
  const weight = (j: Job) => Number(j.recipe.steps ?? 2000) + 200; // + evaluation, in step units
  const total = todo.reduce((a, j) => a + weight(j), 0);
  const matrixBar = progressBar(total);
  let finished = 0;
  let started = 0;
  let runsCpu = 0;
  const order = new Map(jobs.map((j, i) => [j.hash, i]));
  const byMatrixOrder = (a: RunRecord, b: RunRecord) => (order.get(a.hash) ?? Infinity) - (order.get(b.hash) ?? Infinity);
  const labels = new Map<Job, string>();
  const label = (job: Job) => labels.get(job) ?? `${job.config.name} × ${job.dataset.name} seed ${job.seed}`;
  const startJob = (job: Job) => {
    labels.set(job, `[${++started}/${todo.length}] ${job.config.name} × ${job.dataset.name} seed ${job.seed}`);
    matrixBar.update(finished, label(job), true);
  };
  const teachersOf = (dataset: BenchDataset): Record<string, Record<string, unknown>> =>
    Object.fromEntries(all.map((t) => [t.name, sized(t.name, t.perDataset[dataset.name] ?? t.recipe)]));
  /** Records a finished run (in-process or from a child) and rewrites results.json and the report. */
  const finish = (job: Job, startedAt: string, wall: number, result: TaskResult) => {
    const base = {
      hash: job.hash,
      name: job.config.name,
      method: String(job.recipe.method),
      dataset: job.dataset.name,
      seed: job.seed,
      config: job.recipe,
      settings: { quick: args.quick, samples, trainSize, dataset: { id: job.dataset.dataset, options: job.dataset.options } },
      backend,
      versions,
      machine,
      startedAt,
    };
    const cpu = result.cpuSeconds === null ? '' : ` (${result.cpuSeconds.toFixed(1)} s CPU)`;
    runsCpu += result.cpuSeconds ?? 0;
    let record: RunRecord;
    if (result.ok) {
      record = { ...base, status: 'ok', ...result.out, dim: job.dataset.dim };
      const m = result.out.metrics;
      matrixBar.log(
        `${label(job)}: W2 ${m.w2.toPrecision(3)}, energy ${m.energy.toPrecision(3)}, NFE ${m.nfe}, ${m.trainSeconds.toFixed(1)} s training, ${wall.toFixed(1)} s in all${cpu}`,
      );
    } else {
      record = { ...base, status: 'failed', error: result.message };
      matrixBar.log(`${label(job)}: FAILED ${result.message.split('\n')[0]}`);
    }
    if (result.leakedTensors !== null) {
      record.leakedTensors = result.leakedTensors;
      if (result.leakedTensors > 0) matrixBar.log(`  warning: ${result.leakedTensors} tensor(s) still alive after this run`);
    }
    const i = records.findIndex((r) => r.hash === record.hash);
    if (i >= 0) records[i] = record;
    else records.push(record);
    records.sort(byMatrixOrder);
    writeResults(resultsPath, records);
    writeReport(outDir, records.filter((r) => inMatrix.has(r.hash)), datasets, refs, skipped);
    finished += weight(job);
  };

  const parallel = matrixJobs(args, todo.length);
  if (parallel > 1) {
    // Children default to one wasm thread each: N processes × 'auto' threads would oversubscribe the cores.
    const init: WorkerInit = { backend: args.backend, threads: args.threads ?? 1 };
    bar.log(`--jobs: ${parallel} runs at once, each in its own process (${init.backend}${init.backend === 'wasm' ? `, ${init.threads} thread${init.threads === 1 ? '' : 's'} each` : ''})`);
    const tasks: MatrixTask[] = todo.map((job, id) => ({
      id,
      recipe: job.recipe,
      dataset: job.dataset.name,
      seed: job.seed,
      samples,
      trainSize,
      teachers: teachersOf(job.dataset),
    }));
    const starts = new Map<number, { at: string; clock: number }>();
    await runPool(tasks, {
      jobs: parallel,
      init,
      workerUrl: options.workerUrl,
      onStart: (task) => {
        starts.set(task.id, { at: new Date().toISOString(), clock: performance.now() });
        startJob(todo[task.id]!);
      },
      onProgress: (task, { progress: p }) => {
        const job = todo[task.id]!;
        matrixBar.update(finished + (p.step / p.steps) * Number(job.recipe.steps ?? p.steps), `${label(job)} step ${p.step}/${p.steps} loss ${p.loss.toPrecision(4)}`);
      },
      onResult: (task, result) => {
        const start = starts.get(task.id) ?? { at: new Date().toISOString(), clock: performance.now() };
        finish(todo[task.id]!, start.at, (performance.now() - start.clock) / 1000, result);
      },
    });
  } else {
    for (const job of todo) {
      startJob(job);
      const startedAt = new Date().toISOString();
      const runStart = performance.now();
      const runCpu = process.cpuUsage();
      const tensorsBefore = tf.memory().numTensors;
      let outcome: { ok: true; out: RunOutput } | { ok: false; message: string };
      try {
        const out = await runOne({
          registry,
          recipe: job.recipe,
          dataset: job.dataset,
          seed: job.seed,
          samples,
          trainSize,
          teacherRecipe: teacherLookup(teachersOf(job.dataset)),
          onProgress: (p) => matrixBar.update(finished + (p.step / p.steps) * Number(job.recipe.steps ?? p.steps), `${label(job)} step ${p.step}/${p.steps} loss ${p.loss.toPrecision(4)}`),
        });
        outcome = { ok: true, out };
      } catch (error) {
        outcome = { ok: false, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
      const leakedTensors = tf.memory().numTensors - tensorsBefore;
      finish(job, startedAt, (performance.now() - runStart) / 1000, { ...outcome, cpuSeconds: cpuSeconds(runCpu), leakedTensors });
    }
  }
  matrixBar.update(total, 'done', true);
  matrixBar.log('');
  // CPU time beside the wall time: on a shared machine the wall time mostly measures the other load.
  matrixBar.log(
    `wall time: ${formatWall((performance.now() - wallStart) / 1000)} for ${todo.length} run${todo.length === 1 ? '' : 's'}${args.quick ? ' (--quick)' : ''}${parallel > 1 ? `, ${parallel} at once` : ''}, CPU time ${formatWall(parallel > 1 ? runsCpu : cpuSeconds(cpuStart))}${parallel > 1 ? ' (the runs, summed over their processes)' : ''}` +
      (skipped.length > 0 ? `; ${skipped.length} config × data set pair${skipped.length === 1 ? '' : 's'} skipped as unsupported` : ''),
  );
  writeReport(outDir, records.filter((r) => inMatrix.has(r.hash)), datasets, refs, skipped);
  return records;
}

/** Seconds as `12 min 34 s` (or `56.7 s` under a minute). */
export function formatWall(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - 60 * m)} s`;
}

/** User + system CPU seconds of this process since `since` (every thread of the process). */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}
