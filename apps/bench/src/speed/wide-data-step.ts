// The wide-data speed cases: one `train` step of pfm's default flow-matching recipe (velocity MLP
// d+1 → 64×3 → d, Adam, batch 256) on n points of dimension d, for d ∈ {10⁴, 10⁵} and
// n ∈ {1, 10⁴}, and the issue's own case d = 2·10⁵, n = 1 at batch 64. They guard the path that
// used to be pathological on wide data (a per-element tf.gather of the minibatch, no memory plan:
// a 1 × 2·10⁵ CSV thrashed for minutes; then the noise of the step, 12.8 M normals drawn at some
// 100 ns each), report the step's matrix-product GFLOP/s, and compare the trainer's memory plan
// (planMemory) with the process's measured peak RSS.
import { totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { createTrainingRun, parseRecipe, planMemory, train } from '@pfm/core';
import { benchRegistry } from '../registry/bench-registry.js';
import { median } from './median.js';

/** The ids of the wide-data cases. */
export const WIDE_DATA_CASES = ['wide-step-d1e4-n1', 'wide-step-d1e4-n1e4', 'wide-step-d1e5-n1', 'wide-step-d1e5-n1e4', 'wide-step-d2e5-n1-b64'] as const;
export type WideDataCase = (typeof WIDE_DATA_CASES)[number];

/** Rows per minibatch (the recipe default), unless the id ends in `-b<B>`. */
export const WIDE_DATA_BATCH = 256;

/** Width of the default velocity MLP's hidden layers (three of them). */
const HIDDEN = 64;

/** The (n, d) and batch size of a case: `wide-step-d<a>e<k>-n1[e<m>][-b<B>]` is d = a·10ᵏ, n = 10ᵐ, batch B. */
export function wideDataShape(id: WideDataCase): { rows: number; cols: number; batch: number } {
  const match = /^wide-step-d(\d)e(\d)-n1(?:e(\d))?(?:-b(\d+))?$/.exec(id);
  if (!match || !WIDE_DATA_CASES.includes(id)) throw new RangeError(`wide-data case: id must be one of ${WIDE_DATA_CASES.join(', ')}, got ${JSON.stringify(id)}`);
  return {
    cols: Number(match[1]) * 10 ** Number(match[2]),
    rows: match[3] === undefined ? 1 : 10 ** Number(match[3]),
    batch: match[4] === undefined ? WIDE_DATA_BATCH : Number(match[4]),
  };
}

/** Table label of a case. */
export function wideDataLabel(id: WideDataCase): string {
  const { rows, cols, batch } = wideDataShape(id);
  return `one FM training step on ${rows} × ${cols} data, default MLP ${cols + 1}→64×3→${cols}, batch ${batch}, Adam`;
}

/**
 * Floating-point operations of the matrix products of one step of a case: the MLP
 * (d+1) → 64 → 64 → 64 → d on a batch of B has weights P = 64(d+1) + 2·64² + 64d; forward x·W,
 * backward xᵀ·dy for every layer and dy·Wᵀ for all but the first (the input needs no gradient):
 * 2B·(3P − 64(d+1)). Element-wise work (bias, activations, loss, Adam) is not counted, so
 * FLOPs / seconds is a GFLOP/s-equivalent of the whole step.
 */
export function wideDataFlops(id: WideDataCase): number {
  const { cols, batch } = wideDataShape(id);
  const first = HIDDEN * (cols + 1);
  const weights = first + 2 * HIDDEN * HIDDEN + HIDDEN * cols;
  return 2 * batch * (3 * weights - first);
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
  /** Wall-clock seconds of each timed step. */
  seconds: number[];
  /** CPU seconds (user + system) of the process over each timed step: on a shared machine, the step's own work. */
  cpuSeconds: number[];
  /** planMemory's estimate of the run's peak tensor memory, in bytes. */
  plannedBytes: number;
  /** Growth of the process's peak resident set over the case, in bytes (0 when the peak was set earlier). */
  peakRssGrowthBytes: number;
}

/** Runs 1 + `steps` training steps of case `id` (the first one warms up: Adam's slots, the allocator) and times the others. */
export async function wideDataStep(id: WideDataCase, steps: number): Promise<WideDataMeasurement> {
  const { rows, cols, batch } = wideDataShape(id);
  const registry = benchRegistry();
  const rssBefore = process.resourceUsage().maxRSS * 1024;
  const data = tf.randomNormal([rows, cols], 0, 1, 'float32', 7) as tf.Tensor2D;
  const recipe = parseRecipe({ method: 'flow-matching', steps: 1 + steps, batchSize: batch }, registry);
  const run = createTrainingRun(recipe, data, registry);
  try {
    const plan = await planMemory(run, data, { batchSize: batch });
    const marks: number[] = [];
    const cpuMarks: number[] = [];
    const onProgress = () => {
      marks.push(performance.now());
      const { user, system } = process.cpuUsage();
      cpuMarks.push((user + system) / 1e6);
    };
    await train(run, data, { steps: 1 + steps, batchSize: batch, seed: 0, progressEvery: 1, onProgress });
    const seconds = marks.slice(1).map((t, i) => (t - marks[i]!) / 1000);
    const cpuSeconds = cpuMarks.slice(1).map((t, i) => t - cpuMarks[i]!);
    const peakRssGrowthBytes = Math.max(0, process.resourceUsage().maxRSS * 1024 - rssBefore);
    return { seconds, cpuSeconds, plannedBytes: plan.totalBytes, peakRssGrowthBytes };
  } finally {
    run.dispose?.();
    run.model.dispose();
    data.dispose();
  }
}

/** The line the speed suite prints for a measured case: GFLOP/s-equivalent (wall and CPU medians) and the memory plan against peak RSS. */
export function describeWideDataMeasurement(id: WideDataCase, measured: WideDataMeasurement): string {
  const gflops = (seconds: number) => (wideDataFlops(id) / seconds / 1e9).toFixed(2);
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const wall = median(measured.seconds);
  const cpu = median(measured.cpuSeconds);
  return (
    `${id}: ${(wideDataFlops(id) / 1e9).toFixed(2)} GFLOP of products a step, median ${wall.toFixed(2)} s (${gflops(wall)} GFLOP/s), ` +
    `CPU ${cpu.toFixed(2)} s (${gflops(cpu)} GFLOP/s); memory plan ${mib(measured.plannedBytes)}, peak RSS grew by ${mib(measured.peakRssGrowthBytes)}`
  );
}
