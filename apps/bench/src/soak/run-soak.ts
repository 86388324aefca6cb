// The soak: many steps of a small image model through the trainer the CLI uses, with the memory
// of the process sampled as it goes. A healthy loop holds tf.memory().numTensors exactly constant
// and RSS flat after warm-up; soak-verdict says whether it did.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createTrainingRun, encodeCheckpoint, parseRecipe, train, withOptimizerEntry, type Registry } from '@pfm/core';
import { writeFileAtomic } from '@pfm/core/node';
import type { SoakArgs } from './soak-args.js';
import { soakImages } from './soak-images.js';
import { soakVerdict, type SoakSample, type SoakVerdict } from './soak-verdict.js';

/** What one soak measured. */
export interface SoakRun {
  /** `in-process` (this process's trainer) or `cli` (a `pfm train` child). */
  path: 'in-process' | 'cli';
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  /** Bytes of the last checkpoint written. */
  checkpointBytes: number;
  /** Checkpoints written. */
  checkpoints: number;
  /** numTensors before the data were made and after everything was disposed (null in a child). */
  numTensorsBefore: number | null;
  numTensorsAfter: number | null;
  samples: SoakSample[];
  verdict: SoakVerdict;
}

/** The recipe the soak trains (also what its `--cli` run gives to `pfm train --config`). */
export function soakRecipe(args: SoakArgs): Record<string, unknown> {
  // The largest group count ≤ 8 that divides every layer, so any --channels builds a group norm.
  let groups = 8;
  while (args.channels.some((c) => c % groups !== 0)) groups--;
  return {
    method: 'energy',
    model: { type: 'conv-generator', channels: args.channels, groups },
    steps: args.steps,
    batchSize: args.batchSize,
    seed: 0,
    optimizer: { name: 'adam', lr: 1e-3 },
    ema: { decay: args.emaDecay },
  };
}

/** The bytes of the wasm heap, or null on another backend. */
export function wasmHeapBytes(): number | null {
  const heap = (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8;
  return heap ? heap.byteLength : null;
}

/**
 * Trains {@link soakRecipe} for `args.steps` steps in this process, writing a checkpoint to
 * `<out>/soak.ckpt.json` every `args.checkpointEvery` steps and sampling memory every
 * `args.sampleEvery` steps (after a full GC when node runs with --expose-gc). `log` gets a line per sample.
 */
export async function runSoak(args: SoakArgs, registry: Registry, log: (line: string) => void): Promise<SoakRun> {
  mkdirSync(args.out, { recursive: true });
  const numTensorsBefore = tf.memory().numTensors;
  const images = soakImages(args.side);
  const recipe = soakRecipe(args);
  const parsed = parseRecipe(recipe, registry);
  const data = tf.tensor2d(images.values, [images.rows, args.side * args.side]);
  const checkpointPath = join(args.out, 'soak.ckpt.json');
  const samples: SoakSample[] = [];
  const t0 = performance.now();
  const sample = (step: number) => {
    (globalThis as { gc?: () => void }).gc?.();
    const s: SoakSample = { step, numTensors: tf.memory().numTensors, rss: process.memoryUsage().rss, wasmHeap: wasmHeapBytes(), seconds: (performance.now() - t0) / 1000 };
    samples.push(s);
    log(`step ${String(step).padStart(7)}  numTensors ${s.numTensors}  rss ${(s.rss / 2 ** 20).toFixed(1)} MiB  wasm heap ${s.wasmHeap === null ? '-' : `${(s.wasmHeap / 2 ** 20).toFixed(1)} MiB`}  ${s.seconds.toFixed(0)} s`);
  };
  let checkpointBytes = 0;
  let checkpoints = 0;
  let result: Awaited<ReturnType<typeof train>>;
  try {
    const run = createTrainingRun(parsed, data, registry, { eventShape: [args.side, args.side, 1] });
    try {
      sample(0);
      result = await train(run, data, {
        steps: parsed.steps,
        batchSize: parsed.batchSize,
        seed: parsed.seed,
        optimizer: withOptimizerEntry(parsed.optimizer, registry),
        ...(parsed.ema ? { ema: parsed.ema } : {}),
        progressEvery: args.sampleEvery,
        onProgress: ({ step }) => {
          if (step % args.sampleEvery === 0) sample(step);
        },
        // As `pfm train --checkpoint-every`: the snapshot (clones of every variable, optimizer slot and
        // the average), its encoding and an atomic write.
        checkpointEvery: args.checkpointEvery,
        onCheckpoint: async (checkpoint) => {
          const text = encodeCheckpoint(checkpoint, recipe);
          await writeFileAtomic(checkpointPath, text);
          checkpointBytes = Buffer.byteLength(text);
          checkpoints++;
        },
      });
    } finally {
      run.dispose?.();
      run.model.dispose();
    }
  } finally {
    data.dispose();
  }
  const numTensorsAfter = tf.memory().numTensors;
  const verdict = soakVerdict(samples, args.steps, args.maxRssGrowthMiB);
  if (numTensorsAfter !== numTensorsBefore) {
    verdict.failures.push(`${numTensorsAfter - numTensorsBefore} tensor(s) remain after the model, the run and the data were disposed`);
    verdict.ok = false;
  }
  return { path: 'in-process', steps: result.steps, seconds: result.seconds, stepsPerSecond: result.stepsPerSecond, checkpointBytes, checkpoints, numTensorsBefore, numTensorsAfter, samples, verdict };
}
