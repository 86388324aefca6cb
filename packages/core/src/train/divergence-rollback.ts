// The trainer's answer to a NaN/Inf loss or gradient. With `action: 'stop'` the divergence is
// thrown as it is. With `action: 'rollback'` a snapshot is kept (taken every `snapshotEvery` steps);
// a divergence restores it and multiplies every learning rate by `lrFactor`, at most
// `maxRollbacks` times, so training goes on from the snapshot's step with a smaller step size.
// With EMA on, the snapshot holds the averaged weights too, so a rollback rewinds θ̄ with θ.
import type { TrainingRun } from '../contracts/objective.js';
import type { Optimizer } from './optimizer.js';
import type { DivergenceConfig } from './divergence.js';
import type { EmaWeights } from './ema-weights.js';
import { TrainingDivergedError } from './errors.js';
import { disposeSnapshot, restoreSnapshot, takeSnapshot, type TrainingSnapshot } from './training-snapshot.js';

/** A rollback after a divergence: training goes back from `fromStep` to `toStep`. */
export interface RollbackEvent {
  /** The step (1-based, as in messages) whose loss or gradient was not finite. */
  fromStep: number;
  /** Steps completed at the snapshot training continues from. */
  toStep: number;
  /** The divergence, in words. */
  reason: string;
  /** Rollbacks so far, this one included. */
  rollbacks: number;
  /** Factor now applied to every learning rate. */
  lrScale: number;
}

/** Rollback state of a run: the snapshot to return to, the learning-rate scale and the rollback count. */
export class DivergenceRollback {
  /** Factor applied to every learning rate (1 until the first rollback). */
  lrScale = 1;
  /** Rollbacks done so far. */
  rollbacks = 0;
  /** The current rollback target (owned; undefined before the first snapshot or with `action: 'stop'`). */
  snapshot: TrainingSnapshot | undefined;

  constructor(
    private readonly config: DivergenceConfig,
    private readonly run: TrainingRun,
    private readonly optimizers: readonly Optimizer[],
    /** The run's averaged weights (EMA on), snapshotted and restored with the parameters. */
    private readonly ema?: EmaWeights,
  ) {}

  /** True when divergences roll back rather than stop the run. */
  get enabled(): boolean {
    return this.config.action === 'rollback';
  }

  /** Continues a resumed run's rollback state; takes ownership of `snapshot`. */
  adopt(state: { lrScale: number; rollbacks: number; snapshot?: TrainingSnapshot }): void {
    this.lrScale = state.lrScale;
    this.rollbacks = state.rollbacks;
    if (state.snapshot) this.snapshot = state.snapshot;
  }

  /** At the start of step `step`: replaces the snapshot when none exists yet or when `step` is a multiple of `snapshotEvery`. */
  beforeStep(step: number): void {
    if (!this.enabled) return;
    const last = this.snapshot;
    if (last !== undefined && (step % this.config.snapshotEvery !== 0 || last.step === step)) return;
    this.snapshot = takeSnapshot(this.run, this.optimizers, step, this.ema);
    if (last) disposeSnapshot(last);
  }

  /**
   * Handles `error` thrown by step `step`: rethrows anything but a divergence (and every divergence
   * when not enabled), throws a TrainingDivergedError saying why when no rollback is possible,
   * otherwise restores the snapshot, lowers the learning rate, truncates `lossHistory` to the
   * snapshot's step, reports the event and returns the step to continue from.
   */
  recover(error: unknown, step: number, lossHistory: number[], onRollback?: (event: RollbackEvent) => void): number {
    if (!(error instanceof TrainingDivergedError) || !this.enabled) throw error;
    const last = this.snapshot;
    if (this.rollbacks >= this.config.maxRollbacks || last === undefined || last.step >= step) {
      const why =
        this.rollbacks >= this.config.maxRollbacks
          ? `after ${this.rollbacks} rollback(s), the most allowed (divergence.maxRollbacks)`
          : `and there is no earlier snapshot to roll back to (the last one is from step ${last?.step ?? step})`;
      throw new TrainingDivergedError(`${error.message}; stopped ${why}`, error.completedSteps);
    }
    restoreSnapshot(last, this.run, this.optimizers, this.ema);
    this.rollbacks += 1;
    this.lrScale *= this.config.lrFactor;
    if (lossHistory.length > last.step) lossHistory.length = last.step;
    onRollback?.({ fromStep: step + 1, toStep: last.step, reason: error.message, rollbacks: this.rollbacks, lrScale: this.lrScale });
    return last.step;
  }

  /** Disposes the snapshot. */
  dispose(): void {
    if (this.snapshot) disposeSnapshot(this.snapshot);
    this.snapshot = undefined;
  }
}
