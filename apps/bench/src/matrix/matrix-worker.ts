// A child process of `pnpm bench --jobs N` (see matrix-pool.ts): sets up its backend and
// registry once, then trains and measures one run per message, in order, and answers each with
// its output or its error.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@pfm/core';
import { cpu } from '@pfm/backend-cpu';
import { wasm } from '@pfm/backend-wasm';
import { benchRegistry } from '../registry/bench-registry.js';
import { BENCH_DATASETS } from './bench-datasets.js';
import type { FromWorker, MatrixTask, TaskResult, ToWorker, WorkerInit } from './matrix-pool.js';
import { runOne, teacherLookup } from './run-one.js';

const init = JSON.parse(process.argv[2] ?? '{}') as WorkerInit;
const send = (message: FromWorker) => process.send!(message);

const ready = (async () => {
  await useBackend(init.backend === 'cpu' ? cpu() : wasm({ threads: init.threads }));
  return benchRegistry();
})();

/** Runs one task; never throws (an error is the task's result). */
async function run(task: MatrixTask): Promise<TaskResult> {
  const cpuStart = process.cpuUsage();
  const cpuSeconds = () => {
    const d = process.cpuUsage(cpuStart);
    return (d.user + d.system) / 1e6;
  };
  let tensorsBefore: number | null = null;
  try {
    const registry = await ready;
    tensorsBefore = tf.memory().numTensors;
    const dataset = BENCH_DATASETS.find((d) => d.name === task.dataset);
    if (!dataset) throw new Error(`unknown data set ${JSON.stringify(task.dataset)}`);
    const out = await runOne({
      registry,
      recipe: task.recipe,
      dataset,
      seed: task.seed,
      samples: task.samples,
      trainSize: task.trainSize,
      teacherRecipe: teacherLookup(task.teachers),
      onProgress: (p) => send({ type: 'progress', id: task.id, progress: { step: p.step, steps: p.steps, loss: p.loss } }),
    });
    return { ok: true, out, cpuSeconds: cpuSeconds(), leakedTensors: tf.memory().numTensors - tensorsBefore };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, message, cpuSeconds: cpuSeconds(), leakedTensors: tensorsBefore === null ? null : tf.memory().numTensors - tensorsBefore };
  }
}

// One run at a time, in the order the messages came.
let chain: Promise<void> = Promise.resolve();
process.on('message', (raw) => {
  const message = raw as ToWorker;
  if (message.type !== 'run') return;
  chain = chain.then(async () => {
    send({ type: 'result', id: message.task.id, result: await run(message.task) });
  });
});
process.on('disconnect', () => {
  void chain.then(() => process.exit(0));
});
