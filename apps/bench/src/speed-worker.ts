// One backend of the speed suite, in its own process so kernel registrations never mix:
//   node dist/speed-worker.js <pfm-wasm@THREADS|stock-wasm|cpu> '<settings JSON>'
// prints one JSON line {backend, threads, results, profile?} on stdout. `stock-wasm` selects
// tfjs-backend-wasm without the corrected kernels of @pfm/backend-wasm (they are registered only
// by its init) and as tfjs starts it in Node.js (SIMD, one thread).
import * as tf from '@tensorflow/tfjs-core';
import { IMAGE_TRAIN_CASES, profileImageTrainStep } from './speed/image-train.js';
import { convLayerSkipReason } from './speed/conv-layer-train.js';
import { profileTrainingStep, runSpeedCases, type SpeedSettings, type TrainingProfile } from './speed/speed-cases.js';

const [backend, json] = process.argv.slice(2);
try {
  const settings = JSON.parse(json ?? '{}') as SpeedSettings;
  let threads = 1;
  const pfmWasm = /^pfm-wasm@(\d+)$/.exec(backend ?? '');
  if (pfmWasm) {
    const { wasm, wasmThreads } = await import('@pfm/backend-wasm');
    await wasm({ threads: Number(pfmWasm[1]) }).init();
    const info = wasmThreads();
    threads = info?.threads ?? 1;
    if (info?.fallbackReason) process.stderr.write(`  ${backend}: ${info.fallbackReason}\n`);
  } else if (backend === 'stock-wasm') {
    // Stock means tfjs's kernels throughout: the optimizer too, not pfm's host loop.
    settings.optimizerPath = 'tensor';
    await import('@tensorflow/tfjs-backend-wasm');
    // No @pfm backend package here, so tfjs's gradients are registered by hand.
    await import('@pfm/core/register');
    if (!(await tf.setBackend('wasm'))) throw new Error('stock tfjs-backend-wasm did not start');
  } else if (backend === 'cpu') {
    const { cpu } = await import('@pfm/backend-cpu');
    await cpu().init();
  } else {
    throw new Error(`backend must be pfm-wasm@THREADS, stock-wasm or cpu, got ${JSON.stringify(backend)}`);
  }
  await tf.ready();
  const results = await runSpeedCases(settings, (label) => process.stderr.write(`  ${backend}: ${label}\n`));
  let profiles: TrainingProfile[] | undefined;
  if (settings.profileSteps !== undefined) {
    process.stderr.write(`  ${backend}: profile\n`);
    profiles = [];
    for (const model of [{ hidden: [256, 256, 256], activation: 'silu' as const }, { hidden: [64, 64, 64], activation: 'selu' as const }]) {
      profiles.push(await profileTrainingStep(settings.profileSteps, model, settings.optimizerPath));
    }
    // The image cases are profiled when asked for by --cases (a profiled step takes seconds).
    for (const id of IMAGE_TRAIN_CASES) {
      if (settings.cases?.includes(id) && convLayerSkipReason() === undefined) profiles.push(await profileImageTrainStep(id, settings.profileSteps, settings.optimizerPath));
    }
  }
  process.stdout.write(`${JSON.stringify({ backend, tfBackend: tf.getBackend(), threads, results, profiles })}\n`);
} catch (error) {
  process.stderr.write(`speed-worker ${backend}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
