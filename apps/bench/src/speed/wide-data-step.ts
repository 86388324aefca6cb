// The wide-data speed cases: one `train` step of pfm's default flow-matching recipe (velocity MLP
// d+1 → 64×3 → d, Adam, batch 256) on n points of dimension d, for d ∈ {10⁴, 10⁵} and
// n ∈ {1, 10⁴}. They guard the path that used to be pathological on wide data (a per-element
// tf.gather of the minibatch, and no memory plan: a 1 × 2·10⁵ CSV thrashed for minutes), and
// compare the trainer's memory plan (planMemory) with the process's measured peak RSS.
import { totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { createTrainingRun, parseRecipe, planMemory, train } from '@pfm/core';
import { benchRegistry } from '../registry/bench-registry.js';

/** The ids of the wide-data cases. */
export const WIDE_DATA_CASES = ['wide-step-d1e4-n1', 'wide-step-d1e4-n1e4', 'wide-step-d1e5-n1', 'wide-step-d1e5-n1e4'] as const;
export type WideDataCase = (typeof WIDE_DATA_CASES)[number];

/** Rows per minibatch (the recipe default). */
export const WIDE_DATA_BATCH = 256;

/** The (n, d) of a case. */
export function wideDataShape(id: WideDataCase): { rows: number; cols: number } {
  const match = /^wide-step-d1e(\d)-n1(?:e(\d))?$/.exec(id);
  if (!match || !WIDE_DATA_CASES.includes(id)) throw new RangeError(`wide-data case: id must be one of ${WIDE_DATA_CASES.join(', ')}, got ${JSON.stringify(id)}`);
  return { cols: 10 ** Number(match[1]), rows: match[2] === undefined ? 1 : 10 ** Number(match[2]) };
}

/** Table label of a case. */
export function wideDataLabel(id: WideDataCase): string {
  const { rows, cols } = wideDataShape(id);
  return `one FM training step on ${rows} × ${cols} data, default MLP ${cols + 1}→64×3→${cols}, batch ${WIDE_DATA_BATCH}, Adam`;
}

/**
 * Why a case cannot run here, or undefined: its data alone (device tensor and the trainer's host
 * copy) must fit in a quarter of `availableBytes` (default: the machine's memory), and in half the
 * wasm backend's 4 GiB heap (the step needs the rest).
 */
export function wideDataSkipReason(id: WideDataCase, availableBytes: number = totalmem()): string | undefined {
  const { rows, cols } = wideDataShape(id);
  const bytes = rows * cols * 4;
  if (tf.getBackend() === 'wasm' && bytes > 2 ** 31) return `its data alone take ${(bytes / 2 ** 30).toFixed(1)} GiB, more than half the wasm backend's 4 GiB heap`;
  if (2 * bytes > availableBytes / 4) return `its data take ${((2 * bytes) / 2 ** 30).toFixed(1)} GiB with the host copy, more than a quarter of the ${(availableBytes / 2 ** 30).toFixed(1)} GiB available`;
  return undefined;
}

/** What one case measured: seconds of each timed step and the memory plan against peak RSS. */
export interface WideDataMeasurement {
  seconds: number[];
  /** planMemory's estimate of the run's peak tensor memory, in bytes. */
  plannedBytes: number;
  /** Growth of the process's peak resident set over the case, in bytes (0 when the peak was set earlier). */
  peakRssGrowthBytes: number;
}

/** Runs 1 + `steps` training steps of case `id` (the first one warms up: Adam's slots, the allocator) and times the others. */
export async function wideDataStep(id: WideDataCase, steps: number): Promise<WideDataMeasurement> {
  const { rows, cols } = wideDataShape(id);
  const registry = benchRegistry();
  const rssBefore = process.resourceUsage().maxRSS * 1024;
  const data = tf.randomNormal([rows, cols], 0, 1, 'float32', 7) as tf.Tensor2D;
  const recipe = parseRecipe({ method: 'flow-matching', steps: 1 + steps, batchSize: WIDE_DATA_BATCH }, registry);
  const run = createTrainingRun(recipe, data, registry);
  try {
    const plan = await planMemory(run, data, { batchSize: WIDE_DATA_BATCH });
    const marks: number[] = [];
    await train(run, data, { steps: 1 + steps, batchSize: WIDE_DATA_BATCH, seed: 0, progressEvery: 1, onProgress: () => marks.push(performance.now()) });
    const seconds = marks.slice(1).map((t, i) => (t - marks[i]!) / 1000);
    const peakRssGrowthBytes = Math.max(0, process.resourceUsage().maxRSS * 1024 - rssBefore);
    return { seconds, plannedBytes: plan.totalBytes, peakRssGrowthBytes };
  } finally {
    run.dispose?.();
    run.model.dispose();
    data.dispose();
  }
}
