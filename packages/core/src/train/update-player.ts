// One gradient update of one player: loss and gradients in one taped pass, then a finiteness check
// of the loss and of Σ‖g‖² (read on the host) before the optimizer touches anything (a NaN/Inf leaves the variables as
// they were and throws TrainingDivergedError).
import * as tf from '@tensorflow/tfjs-core';
import type { Player } from '../contracts/objective.js';
import type { Rng } from '../rng/rng.js';
import type { Optimizer } from './optimizer.js';
import { TrainingDivergedError } from './errors.js';
import { batchRows } from './batch-rows.js';

/** What one update of one player needs. */
export interface PlayerUpdate {
  player: Player;
  optimizer: Optimizer;
  /** Training data `[N, d]` (not owned). */
  data: tf.Tensor2D;
  /** The values of `data`, row-major, read once by the caller (the minibatch is copied from them). */
  rows: Float32Array;
  /** Rows of `data` in this minibatch. */
  idx: Int32Array;
  /** An array of idx.length · d floats the minibatch is copied into (reused across steps where the backend copies it into the tensor). */
  batchArray?: Float32Array;
  /** Condition rows of `data` (`[N]` or `[N, m]`, not owned); the same rows are picked with the data's. */
  condition?: tf.Tensor;
  rng: Rng;
  /** Steps completed before this one (0-based step index). */
  step: number;
  /** Total steps of the run. */
  steps: number;
  /** Factor applied to the learning rate. */
  lrScale: number;
}

/** One update of one player; returns its loss. Leaves the variables untouched if anything is not finite. */
export function updatePlayer({ player, optimizer, data, rows, idx, batchArray, condition, rng, step, steps, lrScale }: PlayerUpdate): number {
  const vars = player.variables.filter((v) => v.trainable);
  let computed: { value: tf.Scalar; grads: tf.NamedTensorMap };
  try {
    computed = tf.tidy(() => {
      const cols = data.shape[1];
      const into = batchArray?.length === idx.length * cols ? batchArray : undefined;
      const batch = tf.tensor2d(batchRows(rows, cols, idx, into), [idx.length, cols]);
      const input = condition ? { batch, condition: tf.gather(condition, tf.tensor1d(idx, 'int32')), rng, step, totalSteps: steps } : { batch, rng, step, totalSteps: steps };
      return tf.variableGrads(() => player.loss(input), vars as tf.Variable[]);
    });
  } catch (error) {
    discardGradientTape();
    throw error;
  }
  const { value, grads } = computed;
  try {
    const ordered = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
    const [loss, gradSq] = lossAndSquaredNorm(value, ordered);
    if (!Number.isFinite(loss!) || !Number.isFinite(gradSq!)) {
      const what = !Number.isFinite(loss!) ? `loss is ${loss}` : `gradient norm is ${Math.sqrt(gradSq!)}`;
      throw new TrainingDivergedError(
        `training diverged at step ${step + 1}: player "${player.name}" ${what}; parameters kept from step ${step} (try a lower learning rate or gradient clipping)`,
        step,
      );
    }
    optimizer.apply(ordered, step, steps, lrScale);
    for (const [i, g] of ordered.entries()) if (!grads[vars[i]!.name]) g.dispose();
    return loss!;
  } finally {
    value.dispose();
    tf.dispose(Object.values(grads));
  }
}

// Backends whose reads are plain memory copies, and the gradient size up to which reading them
// beats the tensor path (there a small MLP's check is some 20 kernel launches; on a GPU each read
// would be a round trip).
const HOST_CHECK_BACKENDS: ReadonlySet<string> = new Set(['cpu', 'wasm']);
const HOST_CHECK_MAX_VALUES = 1 << 16;

/**
 * The loss and Σ‖g‖² over `grads`. Small gradients on the cpu and wasm backends are read on the
 * host (one read each instead of two kernels per variable, an addN and a stack), summed in
 * float64 and rounded to float32 at the end, so the sum overflows to Infinity where the float32
 * sum of the tensor path does (partial sums of squares only grow); otherwise the tensor path.
 */
function lossAndSquaredNorm(value: tf.Scalar, grads: readonly tf.Tensor[]): [number, number] {
  const size = grads.reduce((total, g) => total + g.size, 0);
  if (HOST_CHECK_BACKENDS.has(tf.getBackend()) && size <= HOST_CHECK_MAX_VALUES) {
    let sum = 0;
    for (const g of grads) {
      const values = g.dataSync() as Float32Array;
      for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
    }
    return [value.dataSync()[0]!, Math.fround(sum)];
  }
  const check = tf.tidy(() => tf.stack([value, tf.addN(grads.map((g) => tf.sum(tf.square(g))))]));
  const [loss, gradSq] = check.dataSync() as Float32Array;
  check.dispose();
  return [loss!, gradSq!];
}

/**
 * After a loss that threw inside tf.variableGrads, tfjs leaves its gradient tape behind with the
 * tensors it saved for the backward pass (kept, so no tidy scope frees them). Frees them.
 */
export function discardGradientTape(): void {
  const state = tf.engine().state;
  if (state.gradientDepth !== 0 || !state.activeTape) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null as unknown as typeof state.activeTape;
}
