// The quality matrix: configs × data sets × seeds. Each run is recorded (metrics, or its error)
// and results.json is rewritten atomically after every run; on start, runs already recorded with
// the same hash are skipped, so an interrupted matrix resumes where it stopped.
import { mkdirSync } from 'node:fs';
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
import { QUICK_STEPS, quickNotes, quickRecipe } from './quick-limits.js';
import { runOne } from './run-one.js';

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

/** Runs the matrix of `args` with `registry` on the active backend; returns every record of results.json. */
export async function runMatrix(args: BenchArgs, registry: Registry, backend: string): Promise<RunRecord[]> {
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
  for (const [k, job] of todo.entries()) {
    const label = `[${k + 1}/${todo.length}] ${job.config.name} × ${job.dataset.name} seed ${job.seed}`;
    matrixBar.update(finished, label, true);
    const startedAt = new Date().toISOString();
    const runStart = performance.now();
    const runCpu = process.cpuUsage();
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
    let record: RunRecord;
    const tensorsBefore = tf.memory().numTensors;
    try {
      const out = await runOne({
        registry,
        recipe: job.recipe,
        dataset: job.dataset,
        seed: job.seed,
        samples,
        trainSize,
        teacherRecipe: (name) => {
          const t = all.find((c) => c.name === name);
          if (!t) throw new Error(`teacher config ${name} not found; configs: ${all.map((c) => c.name).join(', ')}`);
          return sized(t.name, t.perDataset[job.dataset.name] ?? t.recipe);
        },
        onProgress: (p) => matrixBar.update(finished + (p.step / p.steps) * Number(job.recipe.steps ?? p.steps), `${label} step ${p.step}/${p.steps} loss ${p.loss.toPrecision(4)}`),
      });
      record = { ...base, status: 'ok', ...out, dim: job.dataset.dim };
      const m = out.metrics;
      const wall = (performance.now() - runStart) / 1000;
      matrixBar.log(
        `${label}: W2 ${m.w2.toPrecision(3)}, energy ${m.energy.toPrecision(3)}, NFE ${m.nfe}, ${m.trainSeconds.toFixed(1)} s training, ${wall.toFixed(1)} s in all (${cpuSeconds(runCpu).toFixed(1)} s CPU)`,
      );
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      record = { ...base, status: 'failed', error: message };
      matrixBar.log(`${label}: FAILED ${message.split('\n')[0]}`);
    }
    record.leakedTensors = tf.memory().numTensors - tensorsBefore;
    if (record.leakedTensors > 0) matrixBar.log(`  warning: ${record.leakedTensors} tensor(s) still alive after this run`);
    const i = records.findIndex((r) => r.hash === record.hash);
    if (i >= 0) records[i] = record;
    else records.push(record);
    writeResults(resultsPath, records);
    writeReport(outDir, records.filter((r) => inMatrix.has(r.hash)), datasets, refs, skipped);
    finished += weight(job);
  }
  matrixBar.update(total, 'done', true);
  matrixBar.log('');
  // CPU time beside the wall time: on a shared machine the wall time mostly measures the other load.
  matrixBar.log(
    `wall time: ${formatWall((performance.now() - wallStart) / 1000)} for ${todo.length} run${todo.length === 1 ? '' : 's'}${args.quick ? ' (--quick)' : ''}, CPU time ${formatWall(cpuSeconds(cpuStart))}` +
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
