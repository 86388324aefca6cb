#!/usr/bin/env node
// Soak test of the training loop: trains a small model for many steps and records, every few
// steps, tf.memory().numTensors and the process's memory (resident set, V8 heap, array buffers).
// A healthy loop holds numTensors exactly constant and the resident memory flat after warm-up.
//
//   node --expose-gc scripts/soak.mjs [--steps 100000] [--every 2000] [--backend cpu|wasm]
//        [--checkpoint-every 1000] [--out soak-report.json] [--json]
//
// Prints a table (or, with --json, the report) to stdout; exits 1 if numTensors changed.
// Needs the built packages (npx tsup in packages/core and packages/cli).
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, createTrainingRun, encodeCheckpoint, parseRecipe, train, useBackend } from '@pfm/core';
import { buildRegistry } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '100000' },
    every: { type: 'string' },
    backend: { type: 'string', default: 'cpu' },
    'checkpoint-every': { type: 'string', default: '1000' },
    out: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const steps = Number(values.steps);
const every = Number(values.every ?? Math.max(1, Math.floor(steps / 50)));
const checkpointEvery = Number(values['checkpoint-every']);
for (const [name, v] of [['steps', steps], ['every', every], ['checkpoint-every', checkpointEvery]]) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer, got ${v}`);
}

const registry = await buildRegistry([]);
const backendName = await useBackend(registry.get('backend', values.backend).create(registry.parseOptions('backend', values.backend, {})));
const recipe = parseRecipe(
  { method: 'realnvp', options: { blocks: 2 }, model: { hidden: [16] }, steps, batchSize: 64, seed: 3, optimizer: { lr: 1e-3, clipNorm: 10 } },
  registry,
);
const data = tf.tidy(() => registry.get('dataset', 'moons').create({}).sample(2048, createRng(1)));
const run = createTrainingRun(recipe, data, registry);

const MiB = 1024 * 1024;
const samples = [];
const sample = (step, loss) => {
  globalThis.gc?.();
  const m = process.memoryUsage();
  samples.push({
    step,
    numTensors: tf.memory().numTensors,
    numBytes: tf.memory().numBytes,
    rssMiB: +(m.rss / MiB).toFixed(1),
    heapUsedMiB: +(m.heapUsed / MiB).toFixed(1),
    arrayBuffersMiB: +(m.arrayBuffers / MiB).toFixed(1),
    loss: Number.isFinite(loss) ? +loss.toFixed(4) : null,
    seconds: +((performance.now() - t0) / 1000).toFixed(1),
  });
  // A long run can be watched (or cut short) without losing what it measured so far.
  if (values.out && step < steps) writeFileSync(values.out, `${JSON.stringify({ partial: true, backend: backendName, steps, samples }, null, 2)}\n`);
};
const t0 = performance.now();
let checkpointBytes = 0;
sample(0, NaN);
const result = await train(run, data, {
  steps,
  batchSize: recipe.batchSize,
  seed: recipe.seed,
  optimizer: recipe.optimizer,
  progressEvery: every,
  onProgress: (p) => sample(p.step, p.loss),
  // Checkpoints exercise the snapshot path (clones of every variable and optimizer slot) and the encoder.
  checkpointEvery,
  onCheckpoint: (c) => {
    checkpointBytes = encodeCheckpoint(c, recipe).length;
  },
});
run.dispose?.();
run.model.dispose();
data.dispose();

// Steady state: from the first sample at or after 10% of the run.
const warm = samples.find((s) => s.step >= steps / 10) ?? samples[1] ?? samples[0];
const tail = samples.filter((s) => s.step >= warm.step);
const lastSample = samples[samples.length - 1];
const tensorCounts = tail.map((s) => s.numTensors);
const report = {
  backend: backendName,
  steps: result.steps,
  seconds: +result.seconds.toFixed(1),
  stepsPerSecond: +result.stepsPerSecond.toFixed(1),
  recipe,
  checkpointEvery,
  checkpointBytes,
  gcExposed: typeof globalThis.gc === 'function',
  node: process.version,
  summary: {
    warmupStep: warm.step,
    numTensorsAtWarmup: warm.numTensors,
    numTensorsMin: Math.min(...tensorCounts),
    numTensorsMax: Math.max(...tensorCounts),
    numTensorsAfterDispose: tf.memory().numTensors,
    rssMiBAtWarmup: warm.rssMiB,
    rssMiBLast: lastSample.rssMiB,
    rssMiBMax: Math.max(...tail.map((s) => s.rssMiB)),
    rssGrowthMiB: +(lastSample.rssMiB - warm.rssMiB).toFixed(1),
    heapUsedGrowthMiB: +(lastSample.heapUsedMiB - warm.heapUsedMiB).toFixed(1),
  },
  samples,
};
if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
if (values.json) {
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else {
  const row = (cells) => cells.map((c, i) => String(c).padStart(i === 0 ? 8 : 11)).join(' ');
  console.log(`soak: ${report.steps} steps of ${recipe.method} on ${backendName}, ${report.seconds} s (${report.stepsPerSecond} steps/s)`);
  console.log(row(['step', 'numTensors', 'rss MiB', 'heap MiB', 'buffers MiB', 'loss']));
  for (const s of samples) console.log(row([s.step, s.numTensors, s.rssMiB, s.heapUsedMiB, s.arrayBuffersMiB, s.loss ?? '-']));
  console.log(JSON.stringify(report.summary));
}
process.exitCode = report.summary.numTensorsMin === report.summary.numTensorsMax ? 0 : 1;
