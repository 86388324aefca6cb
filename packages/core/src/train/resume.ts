// Resuming: check that a checkpoint belongs to this run (seed, batch size, step range, data
// fingerprint with its conditions, lrScale), then restore its parameters, optimizer and objective state. Together with
// step-indexed randomness this makes a resumed run bitwise equal to an uninterrupted one on the
// same backend (on another backend it continues, with a warning). With EMA on, the averaged
// weights are restored too; a checkpoint made without them restarts the average (with a warning).
import type { TrainingRun } from '../contracts/objective.js';
import type { Optimizer } from './optimizer.js';
import type { DataFingerprint } from './data-fingerprint.js';
import type { Checkpoint } from './checkpoint.js';
import type { EmaWeights } from './ema-weights.js';
import { cloneSnapshot, restoreSnapshot, type TrainingSnapshot } from './training-snapshot.js';

/** Where a resumed run continues from. */
export interface ResumedState {
  /** Steps already completed. */
  step: number;
  /** Primary loss per completed step (a copy). */
  lossHistory: number[];
  lrScale: number;
  rollbacks: number;
  /** A copy of the checkpoint's rollback target (owned by the caller), when rollbacks are enabled. */
  rollbackSnapshot?: TrainingSnapshot;
}

/** The run a checkpoint is resumed into. */
export interface ResumeTarget {
  run: TrainingRun;
  /** `optimizers[i]` updates player i. */
  optimizers: readonly Optimizer[];
  /** Fingerprint of this run's training data. */
  data: DataFingerprint;
  /** The tfjs backend of this run. */
  backend: string;
  seed: number;
  batchSize: number;
  steps: number;
  /** Keep the checkpoint's rollback snapshot (divergence.action = 'rollback'). */
  rollingBack: boolean;
  /** The run's averaged weights (EMA on). */
  ema?: EmaWeights;
  onWarning?: (message: string) => void;
}

/**
 * Restores `checkpoint` (not consumed) into `target` and returns the state the loop continues
 * from. Throws a RangeError naming the mismatch when the checkpoint belongs to another run.
 */
export function resumeFrom(checkpoint: Checkpoint, target: ResumeTarget): ResumedState {
  const c = checkpoint;
  checkResumable(c, target);
  if (c.backend !== undefined && c.backend !== target.backend) {
    target.onWarning?.(
      `resume: the checkpoint was made on the "${c.backend}" backend and this run uses "${target.backend}"; it continues, but is not bitwise identical to an uninterrupted run`,
    );
  }
  const ema = target.ema;
  if (ema && !c.ema?.[ema.playerName]) {
    target.onWarning?.(
      `resume: the checkpoint holds no averaged (ema) weights for player "${ema.playerName}"; the average restarts from the checkpoint's weights, so the run is not identical to an uninterrupted one`,
    );
  } else if (!ema && c.ema) {
    target.onWarning?.('resume: the checkpoint holds averaged (ema) weights but this run has no ema; they are dropped and the model keeps the raw weights');
  }
  restoreSnapshot(c, target.run, target.optimizers, ema);
  const state: ResumedState = { step: c.step, lossHistory: c.lossHistory.slice(0, c.step), lrScale: c.lrScale ?? 1, rollbacks: c.rollbacks ?? 0 };
  if (target.rollingBack && c.rollback) {
    if (c.rollback.step > c.step) throw new RangeError(`resume: the rollback snapshot (step ${c.rollback.step}) is after the checkpoint (step ${c.step})`);
    state.rollbackSnapshot = cloneSnapshot(c.rollback);
  }
  return state;
}

function checkResumable(c: Checkpoint, target: ResumeTarget): void {
  if (c.seed !== target.seed || c.batchSize !== target.batchSize) {
    throw new RangeError(
      `resume: checkpoint was made with seed ${c.seed} and batch size ${c.batchSize}, but this run has seed ${target.seed} and batch size ${target.batchSize}`,
    );
  }
  if (!Number.isInteger(c.step) || c.step < 0 || c.step > target.steps) {
    throw new RangeError(`resume: checkpoint step ${c.step} is outside 0..${target.steps}`);
  }
  const d = target.data;
  if (c.data && (c.data.rows !== d.rows || c.data.cols !== d.cols || c.data.hash !== d.hash)) {
    throw new RangeError(
      `resume: the checkpoint was made on other data (${c.data.rows}×${c.data.cols}, hash ${c.data.hash}) than this run's (${d.rows}×${d.cols}, hash ${d.hash}); resume on the same data set`,
    );
  }
  // A checkpoint without a condition hash (written before conditions were hashed) is not checked.
  const made = c.data?.condition;
  // Another class count changes the model's class embedding: said as such, before the hash (and
  // before a variable count or shape mismatch in the restore) would say it less clearly.
  if (made?.classes !== undefined && d.condition?.classes !== undefined && made.classes !== d.condition.classes) {
    throw new RangeError(
      `resume: the checkpoint was trained on labels of ${made.classes} classes (0…${made.classes - 1}) and this run's labels have ${d.condition.classes} (0…${d.condition.classes - 1}); ` +
        `the class embedding differs, so resume with the labels the checkpoint was trained on, or train from the start without resuming`,
    );
  }
  if (made && (made.rows !== d.condition?.rows || made.hash !== d.condition.hash)) {
    throw new RangeError(
      d.condition
        ? `resume: the checkpoint was made with other conditions (${made.rows} rows, hash ${made.hash}) than this run's (${d.condition.rows} rows, hash ${d.condition.hash}); resume with the same labels or context rows`
        : `resume: the checkpoint was made with conditions (${made.rows} rows, hash ${made.hash}) and this run has none; resume with the same labels or context rows`,
    );
  }
  if (c.lrScale !== undefined && !(c.lrScale > 0 && c.lrScale <= 1)) throw new RangeError(`resume: checkpoint lrScale ${c.lrScale} is outside (0, 1]`);
}
