// The memory a training run will need, estimated before it starts, so a run that cannot fit is
// refused with a sentence instead of thrashing for minutes (a 1 × 200,000 CSV with the default
// batch of 256 needs about 4.5 GiB of activations, more than the wasm backend's 4 GiB heap).
//
//   peak ≈ data (device tensor + the trainer's host copy)
//        + parameters · (1 + gradients 1 + optimizer slots 2 + EMA 1 when on)
//        + state (tensors the run keeps besides its variables, as it declares them: `stateBytes`)
//        + activations(B),  activations(B) = a₂ + (B − 2)·(a₃ − a₂)
//
// where a_b is the peak of new tensor bytes of one loss-and-gradient pass of each player on a batch
// of b rows (2 and 3: some losses need two points), measured with tf.profile on the run itself (so any network, image or not, and the
// loss's own intermediates are counted); the gradients of the pass are part of a_b.
//
// A run's set-up passes over many rows (a flow's data-dependent initialisation) are not steps: they
// hold copies of the data and push rows through the model in chunks, without gradients. A run
// declares them (`setupPasses`) and makes them in its `setup()`, which `train` calls, not the run's
// builder: the plan is checked on a run that has not made them yet. Each is counted as
//
//   setup ≈ data + parameters + state + heldRows·d·4 + forward(chunkRows),  forward(B) = f₂ + (B − 2)·(f₃ − f₂)
//
// with f_b the peak of one loss pass without gradients on b rows, or of the pass's own `probe` on b
// rows when it declares one (a distillation's teacher solve is not a player's loss). The plan's total is the larger of
// the step's peak and the largest set-up pass's (on wasm a failed allocation corrupts the heap
// instead of throwing, so a pass the plan does not count can crash the process).
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingRun } from '../contracts/objective.js';
import { createRng } from '../rng/rng.js';
import { batchRows } from './batch-rows.js';
import { discardGradientTape } from './update-player.js';

/** The estimate of {@link planMemory}, in bytes. */
export interface MemoryPlan {
  /** The data on the device and the trainer's host copy of it. */
  dataBytes: number;
  /** Parameters, their optimizer slots (two, Adam's) and the EMA copy when on. */
  parameterBytes: number;
  /**
   * Tensors the run keeps for its whole life besides the data and the players' variables, as it
   * declares them ({@link WithSetupPasses}`.stateBytes`: a reflow's noise and pairs, a distillation's
   * noise and teacher endpoints); 0 when it declares none.
   */
  stateBytes: number;
  /** Peak of the tensors one step makes at the run's batch size (the gradients included). */
  activationBytes: number;
  /** How much `activationBytes` grows per row of the batch (a₃ − a₂). */
  activationBytesPerRow: number;
  /**
   * The estimated peak of tensor memory of the run: the larger of a step's,
   * `dataBytes + parameterBytes + stateBytes + activationBytes`, and `setupBytes`.
   */
  totalBytes: number;
  /** Parameters of all players (trainable or not). */
  parameters: number;
  /**
   * Peak of the largest set-up pass the run declares (data, parameters without optimizer state, the
   * run's state, the rows it holds and one chunk's pass without gradients); 0 when it declares none.
   */
  setupBytes: number;
  /** The name of the set-up pass `setupBytes` counts (absent when the run declares none). */
  setupPass?: string;
  /** What makes that pass smaller, as the pass says it (absent when it says nothing). */
  setupAdvice?: string;
}

/**
 * A pass over many rows that a training run makes outside its steps: once at set-up (a flow's
 * data-dependent initialisation, in the run's `setup()`) or between two steps (a reflow's
 * re-coupling of its pairs). Its memory is bounded by what it declares here, so the plan can
 * count it: the rows of `[·, d]` float32 tensors it holds at once besides the data, and the rows
 * it pushes through the model at a time (without gradients).
 */
export interface SetupPass {
  /** What the pass is, for messages (`data-dependent initialisation`). */
  name: string;
  /** Rows of `[·, d]` float32 tensors held at once besides the data (copies, pulled-back layers). */
  heldRows: number;
  /** Rows pushed through the model at a time; the pass's intermediates scale with these. */
  chunkRows: number;
  /**
   * One chunk of the pass on `rows` rows, results discarded (absent: the players' losses without
   * gradients stand for it). The plan measures its peak on 2 and 3 rows and extrapolates to
   * `chunkRows`; a pass through another network than the players' (a distillation's teacher) needs it.
   */
  probe?(rows: number): void;
  /** What makes the pass smaller, for messages (`fewer pairs or a smaller teacherChunkRows`). */
  advice?: string;
}

/** A training run that declares its set-up passes and long-lived state (read by {@link planMemory}). */
export interface WithSetupPasses {
  setupPasses: readonly SetupPass[];
  /**
   * Bytes of the tensors the run keeps for its whole life besides the data and the players'
   * variables (a reflow's noise and current pairs; absent: none).
   */
  stateBytes?: number;
}

/** Bytes of one element of each tensor dtype (a string tensor's size is not known: refused). */
const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

/**
 * Bytes the given tensors hold on the device (absent ones count 0): what a run declares as
 * `stateBytes` for the tensors it keeps.
 */
export function tensorBytes(...tensors: readonly (tf.Tensor | undefined)[]): number {
  let bytes = 0;
  for (const t of tensors) {
    if (t === undefined) continue;
    const per = DTYPE_BYTES[t.dtype];
    if (per === undefined) throw new Error(`tensorBytes: a ${t.dtype} tensor has no fixed size per element`);
    bytes += per * t.size;
  }
  return bytes;
}

/** The state bytes `run` declares (0 when it declares none). */
export function stateBytesOf(run: TrainingRun): number {
  const bytes = (run as Partial<WithSetupPasses>).stateBytes;
  return bytes ?? 0;
}

/** The set-up passes `run` declares (none when it has no `setupPasses`). */
export function setupPassesOf(run: TrainingRun): readonly SetupPass[] {
  const passes = (run as Partial<WithSetupPasses>).setupPasses;
  return Array.isArray(passes) ? passes : [];
}

/** A peak measured at 2 and 3 rows, extrapolated linearly to `rows` (never below 0, never shrinking per row). */
function peakAtRows(atTwo: number, atThree: number, rows: number): number {
  return Math.max(0, atTwo + (rows - 2) * Math.max(0, atThree - atTwo));
}

/** What {@link planMemory} needs besides the run and the data. */
export interface MemoryPlanOptions {
  batchSize: number;
  /** True when an exponential moving average of the primary player's weights is kept. */
  ema?: boolean;
  /**
   * Condition rows of the data (`[N]` class labels or `[N, m]` context, not owned) of a conditional
   * run: the probes pass the first row's condition with their batch, as the trainer passes each
   * batch's (a conditional loss cannot run without it).
   */
  condition?: tf.Tensor;
}

/**
 * Estimates the peak memory of training `run` on `data` (`[N, d]`, not owned) with minibatches of
 * `batchSize`, from two probing passes (loss and gradients, nothing applied) on batches of 2 and 3
 * rows (copies of the first), and, when the run declares set-up passes ({@link SetupPass}), two
 * more without gradients. Call it before `train` (which makes the set-up passes), so a run that does
 * not fit is refused before they allocate anything. The probes use their own random stream and
 * apply no update, so the run itself is unchanged (a loss that keeps state between calls would see
 * the extra calls; a layer that initialises itself on its first use, such as ActNorm before the
 * run's set-up, sets weights the set-up then overwrites). Formula and sources of each term in the
 * file's header.
 */
export async function planMemory(run: TrainingRun, data: tf.Tensor2D, options: MemoryPlanOptions): Promise<MemoryPlan> {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`planMemory: "batchSize" must be a positive integer, got ${batchSize}`);
  if (data.rank !== 2 || data.shape[0] === 0) throw new RangeError(`planMemory: data must be [N, d] with N > 0, got shape [${data.shape.join(', ')}]`);
  const [rows, cols] = data.shape;
  const condition = options.condition;
  if (condition !== undefined && (condition.rank < 1 || condition.rank > 2 || condition.shape[0] !== rows)) {
    throw new RangeError(`planMemory: "condition" must be [N] labels or [N, m] context with N = ${rows} (one per data row), got shape [${condition.shape.join(', ')}]`);
  }
  const dataBytes = 2 * rows * cols * 4;
  let parameters = 0;
  let primary = 0;
  for (const [i, p] of run.players.entries()) {
    for (const v of p.variables) {
      parameters += v.size;
      if (i === 0) primary += v.size;
    }
  }
  const parameterBytes = 4 * (parameters * 4 + (options.ema ? primary : 0));
  const stateBytes = stateBytesOf(run);
  if (!Number.isInteger(stateBytes) || stateBytes < 0) throw new RangeError(`planMemory: "stateBytes" must be an integer ≥ 0, got ${stateBytes}`);
  const passes = setupPassesOf(run);
  for (const [i, pass] of passes.entries()) {
    for (const field of ['heldRows', 'chunkRows'] as const) {
      if (!Number.isInteger(pass[field]) || pass[field] < 0) throw new RangeError(`planMemory: "setupPasses[${i}].${field}" must be an integer ≥ 0, got ${pass[field]}`);
    }
  }
  const first = data.slice([0, 0], [1, cols]);
  let two: number;
  let three: number;
  const forward: number[] = [];
  try {
    const host = first.dataSync() as Float32Array;
    two = await probe(run, host, cols, 2, condition, true);
    three = await probe(run, host, cols, 3, condition, true);
    let lossForward: ((rows: number) => number) | undefined;
    for (const pass of passes) {
      if (pass.probe) {
        const f2 = await peakOf(() => pass.probe!(2));
        const f3 = await peakOf(() => pass.probe!(3));
        forward.push(peakAtRows(f2, f3, pass.chunkRows));
        continue;
      }
      if (!lossForward) {
        const f2 = await probe(run, host, cols, 2, condition, false);
        const f3 = await probe(run, host, cols, 3, condition, false);
        lossForward = (rows) => peakAtRows(f2, f3, rows);
      }
      forward.push(lossForward(pass.chunkRows));
    }
  } finally {
    first.dispose();
  }
  const perRow = Math.max(0, three - two);
  const activationBytes = peakAtRows(two, three, batchSize);
  let setupBytes = 0;
  let setup: SetupPass | undefined;
  for (const [i, pass] of passes.entries()) {
    const bytes = dataBytes + 4 * parameters + stateBytes + pass.heldRows * cols * 4 + forward[i]!;
    if (bytes > setupBytes) {
      setupBytes = bytes;
      setup = pass;
    }
  }
  const stepBytes = dataBytes + parameterBytes + stateBytes + activationBytes;
  return {
    dataBytes,
    parameterBytes,
    stateBytes,
    activationBytes,
    activationBytesPerRow: perRow,
    totalBytes: Math.max(stepBytes, setupBytes),
    parameters,
    setupBytes,
    ...(setup !== undefined ? { setupPass: setup.name } : {}),
    ...(setup?.advice !== undefined ? { setupAdvice: setup.advice } : {}),
  };
}

/** The peak of new tensor bytes while `pass` runs (0 when it runs no kernel). */
async function peakOf(pass: () => void): Promise<number> {
  const before = tf.memory().numBytes;
  const info = await tf.profile(() => {
    tf.tidy(pass);
  });
  return Number.isFinite(info.peakBytes) ? Math.max(0, info.peakBytes - before) : 0;
}

/**
 * The largest peak of new tensor bytes over the players' loss-and-gradient passes (`withGradients`)
 * or loss passes alone on `b` copies of one row (and of its condition).
 */
async function probe(run: TrainingRun, row: Float32Array, cols: number, b: number, condition: tf.Tensor | undefined, withGradients: boolean): Promise<number> {
  let peak = 0;
  const rng = createRng(0x6d656d).fold(b);
  for (const [j, player] of run.players.entries()) {
    const vars = player.variables.filter((v) => v.trainable) as tf.Variable[];
    const before = tf.memory().numBytes;
    const info = await tf.profile(() => {
      let computed: { value: tf.Scalar; grads: tf.NamedTensorMap };
      try {
        computed = tf.tidy(() => {
          const batch = tf.tensor2d(batchRows(row, cols, new Int32Array(b)), [b, cols]);
          const input = { batch, rng: rng.fold(j), step: 0, totalSteps: 1 };
          const conditioned = condition ? { ...input, condition: tf.gather(condition, tf.zeros([b], 'int32')) } : input;
          return withGradients ? tf.variableGrads(() => player.loss(conditioned), vars) : { value: player.loss(conditioned), grads: {} };
        });
      } catch (error) {
        discardGradientTape();
        throw error;
      }
      const { value, grads } = computed;
      value.dispose();
      tf.dispose(Object.values(grads));
    });
    // No kernel ran (a loss that is a constant): tf.profile's peak is then -Infinity.
    if (Number.isFinite(info.peakBytes)) peak = Math.max(peak, info.peakBytes - before);
  }
  return peak;
}

/**
 * The largest batch size whose plan stays within `limitBytes` (0 when even one row does not fit,
 * or when a set-up pass, which no batch size changes, does not fit):
 * step(B) = step(B₀) + (B − B₀)·perRow for the plan's own batch size B₀.
 */
export function largestBatchWithin(plan: MemoryPlan, batchSize: number, limitBytes: number): number {
  if (plan.setupBytes > limitBytes) return 0;
  // step(1): the step's plan extrapolated down to one row.
  const fixed = plan.dataBytes + plan.parameterBytes + plan.stateBytes + plan.activationBytes - (batchSize - 1) * plan.activationBytesPerRow;
  if (fixed > limitBytes) return 0;
  if (plan.activationBytesPerRow <= 0) return Number.MAX_SAFE_INTEGER;
  return 1 + Math.floor((limitBytes - fixed) / plan.activationBytesPerRow);
}
