// Pairwise discrepancies, forward + gradient in x as in a training step, on the active tfjs
// backend: the fused host loops of @pfm/ipm (`fused: true`) against the composed tfjs ops
// (`fused: false`), energy distance and Gaussian MMD (bandwidth 1), unbiased, d = 2,
// x ~ N(0, I), y ~ N((1, 0), I). Composed runs are skipped above `composedMaxPoints` (the
// composed ops hold n×m blocks under the gradient tape: 16 384² float32 is 1 GB per matrix).
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';
import { energyDistance, gaussianKernel, mmd } from '@pfm/ipm';
import { median } from './median.js';

/** Options of {@link runPairwiseSpeed}. */
export interface PairwiseSpeedOptions {
  /** Points per side (n = m). Default [1024, 4096]. */
  sizes?: number[];
  /** Timed repeats per case (after one warm-up of each path, interleaved), the median is reported. Default 3. */
  repeats?: number;
  /** Largest n timed on the composed path. Default 4096. */
  composedMaxPoints?: number;
  /** Called before each case (progress). */
  onCase?: (label: string) => void;
}

/** One case: medians in milliseconds, and composed / fused (null when the composed path was skipped). */
export interface PairwiseSpeedRow {
  case: string;
  backend: string;
  fusedMs: number;
  composedMs: number | null;
  ratio: number | null;
}

type Discrepancy = (x: tf.Tensor2D, y: tf.Tensor2D, fused: boolean) => tf.Scalar;

function timeOnce(run: Discrepancy, x: tf.Tensor2D, y: tf.Tensor2D, fused: boolean): number {
  const start = performance.now();
  const { value, grad } = tf.valueAndGrad((a: tf.Tensor) => run(a as tf.Tensor2D, y, fused))(x);
  value.dataSync();
  grad.dataSync();
  const ms = performance.now() - start;
  tf.dispose([value, grad]);
  return ms;
}

// Fused and composed repeats interleave, so load from other processes hits both alike.
function timePair(run: Discrepancy, x: tf.Tensor2D, y: tf.Tensor2D, withComposed: boolean, repeats: number): [number, number | null] {
  timeOnce(run, x, y, true);
  if (withComposed) timeOnce(run, x, y, false);
  const fused: number[] = [];
  const composed: number[] = [];
  for (let r = 0; r < repeats; r++) {
    fused.push(timeOnce(run, x, y, true));
    if (withComposed) composed.push(timeOnce(run, x, y, false));
  }
  return [median(fused), withComposed ? median(composed) : null];
}

/**
 * Times energy distance and Gaussian MMD, forward + gradient, fused against composed, at each size:
 * rows {case, backend, fusedMs, composedMs, ratio = composedMs / fusedMs}.
 */
export function runPairwiseSpeed(options: PairwiseSpeedOptions = {}): PairwiseSpeedRow[] {
  const sizes = options.sizes ?? [1024, 4096];
  const repeats = options.repeats ?? 3;
  const composedMax = options.composedMaxPoints ?? 4096;
  sizes.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 2) throw new RangeError(`runPairwiseSpeed: sizes[${i}] must be an integer ≥ 2, got ${n}`);
  });
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`runPairwiseSpeed: repeats must be a positive integer, got ${repeats}`);
  const kernel = gaussianKernel({ bandwidth: 1 });
  const cases: Array<[string, Discrepancy]> = [
    ['energy', (x, y, fused) => energyDistance(x, y, { fused })],
    ['mmd-gaussian', (x, y, fused) => mmd(x, y, { kernel, fused })],
  ];
  const backend = tf.getBackend();
  const rows: PairwiseSpeedRow[] = [];
  for (const n of sizes) {
    const x = tf.tensor2d(createRng(1).normalArray(2 * n), [n, 2], 'float32');
    const y = tf.tidy(() => tf.add(tf.tensor2d(createRng(2).normalArray(2 * n), [n, 2], 'float32'), tf.tensor2d([[1, 0]])) as tf.Tensor2D);
    try {
      for (const [name, run] of cases) {
        const label = `${name} ${n}x${n}`;
        options.onCase?.(label);
        const [fusedMs, composedMs] = timePair(run, x, y, n <= composedMax, repeats);
        rows.push({ case: label, backend, fusedMs, composedMs, ratio: composedMs === null ? null : composedMs / fusedMs });
      }
    } finally {
      tf.dispose([x, y]);
    }
  }
  return rows;
}
