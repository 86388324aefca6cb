// One training loop for every family. A step updates each player of the objective in turn
// (players[0] is the primary one, e.g. the generator), each `updatesPerStep` times, on its own
// minibatch. Randomness of step s is createRng(seed).fold(1).fold(s) and minibatches walk
// seeded per-epoch permutations, so a run resumed from a checkpoint is bitwise identical to an
// uninterrupted one on the same backend. With `divergence: { action: 'rollback' }` a NaN/Inf loss or
// gradient restores the last snapshot (taken every `snapshotEvery` steps) and goes on with a lower
// learning rate; the snapshot, the learning-rate scale and the rollback count travel in checkpoints,
// so a resumed run still matches an uninterrupted one. With `ema`, the primary player's weights
// are averaged after every completed step (ema-weights); snapshots and checkpoints carry the
// average beside the raw weights, and at the end (completed, aborted or stopped) the average is
// written into the player's variables, so the model samples with θ̄. The run's own set-up (a
// flow's data-dependent initialisation, `TrainingRun.setup`) runs first, once: building a run does
// not make it, so a caller can check the run's memory plan before it allocates anything large.
//
// Each concern lives in its own unit: input checks (check-train-inputs), resume, the step itself
// (train-step, batch-indexer, update-player), divergence-rollback, leak-guard, progress-hook,
// checkpoint-hook and abort-watch; this file only joins them.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingRun } from '../contracts/objective.js';
import { createOptimizer, optimizerSchema, type Optimizer, type OptimizerOptions } from './optimizer.js';
import { dataFingerprint } from './data-fingerprint.js';
import type { DivergenceOptions } from './divergence.js';
import type { EmaOptions } from './ema.js';
import { EmaWeights } from './ema-weights.js';
import type { Checkpoint } from './checkpoint.js';
import type { RollbackEvent } from './divergence-rollback.js';
import type { TrainProgress } from './progress-hook.js';
import { checkTrainInputs } from './check-train-inputs.js';
import { cloneSnapshot, takeSnapshot } from './training-snapshot.js';
import { resumeFrom } from './resume.js';
import { createTrainStep } from './train-step.js';
import { DivergenceRollback } from './divergence-rollback.js';
import { LeakGuard } from './leak-guard.js';
import { progressHook } from './progress-hook.js';
import { checkpointHook } from './checkpoint-hook.js';
import { AbortWatch } from './abort-watch.js';

export type { TrainProgress } from './progress-hook.js';
export type { TrainingSnapshot } from './training-snapshot.js';
export type { RollbackEvent } from './divergence-rollback.js';
export { disposeCheckpoint, type Checkpoint } from './checkpoint.js';

export interface TrainOptions {
  steps: number;
  batchSize: number;
  seed: number;
  optimizer?: OptimizerOptions;
  onProgress?: (progress: TrainProgress) => void;
  /** Call onProgress every this many steps (and after the last). Default 10. */
  progressEvery?: number;
  signal?: AbortSignal;
  /**
   * Call onCheckpoint every this many steps (0 = never; also called on abort), or after each
   * completed step for which the predicate returns true (not after the last).
   */
  checkpointEvery?: number | ((done: number) => boolean);
  /** Receives a checkpoint; the trainer disposes it after the returned promise settles. */
  onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
  /** Continue from this checkpoint (not disposed by the trainer). */
  resume?: Checkpoint;
  /** What to do when a loss or gradient is NaN or ±Inf (default: stop). */
  divergence?: DivergenceOptions;
  /**
   * Exponential moving average of the primary player's weights (absent: off). The player's
   * variables hold the average when `train` returns or throws; the raw weights go on training
   * in between and both are in checkpoints.
   */
  ema?: EmaOptions;
  /** Called after each rollback (divergence.action = 'rollback'). */
  onRollback?: (event: RollbackEvent) => void;
  /** Called with a message when the run goes on despite a problem (e.g. resumed on another backend). */
  onWarning?: (message: string) => void;
  /**
   * The condition rows of `data` (`[N]` int32 labels or `[N, m]` context; not owned), for a run
   * built with a condition: every minibatch carries its rows' conditions (`StepInput.condition`).
   */
  condition?: tf.Tensor;
}

export interface TrainResult {
  status: 'completed' | 'aborted';
  /** Steps completed in total (including those before a resume). */
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  finalLoss: number;
  lossHistory: number[];
  /** Rollbacks done (including those before a resume). */
  rollbacks: number;
  /** Factor applied to every learning rate at the end (1 without rollbacks). */
  lrScale: number;
}

/**
 * Trains `run` on `data` (`[N, dim]`, not owned). Resolves when done or aborted; throws
 * TrainingDivergedError (parameters of the last good step kept) or TensorLeakError.
 */
export async function train(run: TrainingRun, data: tf.Tensor2D, options: TrainOptions): Promise<TrainResult> {
  const { divergence, ema: emaConfig } = checkTrainInputs(run, data, options);
  // The run's set-up (a flow's data-dependent initialisation) sets the weights the average and the
  // first step start from; on resume the checkpoint's weights then replace them, as they would
  // replace those of a run set up when it was built.
  run.setup?.();
  const { steps, batchSize, seed } = options;
  const players = run.players;
  const primary = players[0]!.name;
  const fingerprint = dataFingerprint(data, options.condition);
  const backend = tf.getBackend();
  const baseConfig = optimizerSchema.parse(options.optimizer ?? {});
  const optimizers: Optimizer[] = players.map((p) => createOptimizer({ ...baseConfig, ...(p.optimizer ?? {}) }, p.variables));
  const trainStep = createTrainStep(run, optimizers, data, { seed, batchSize, steps, ...(options.condition ? { condition: options.condition } : {}) });
  const ema = emaConfig ? new EmaWeights(emaConfig, players[0]!) : undefined;
  const rollback = new DivergenceRollback(divergence, run, optimizers, ema);
  let lossHistory: number[] = [];
  let start = 0;

  try {
    if (options.resume) {
      const resumed = resumeFrom(options.resume, {
        run,
        optimizers,
        data: fingerprint,
        backend,
        seed,
        batchSize,
        steps,
        rollingBack: rollback.enabled,
        ...(ema ? { ema } : {}),
        ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      });
      start = resumed.step;
      lossHistory = resumed.lossHistory;
      rollback.adopt({ lrScale: resumed.lrScale, rollbacks: resumed.rollbacks, ...(resumed.rollbackSnapshot ? { snapshot: resumed.rollbackSnapshot } : {}) });
    }

    const checkpoints = checkpointHook({
      ...(options.checkpointEvery !== undefined ? { checkpointEvery: options.checkpointEvery } : {}),
      ...(options.onCheckpoint ? { onCheckpoint: options.onCheckpoint } : {}),
      steps,
      make: (step): Checkpoint => ({
        ...takeSnapshot(run, optimizers, step, ema),
        seed,
        steps,
        batchSize,
        lossHistory: lossHistory.slice(),
        data: fingerprint,
        backend,
        lrScale: rollback.lrScale,
        rollbacks: rollback.rollbacks,
        ...(rollback.snapshot ? { rollback: cloneSnapshot(rollback.snapshot) } : {}),
      }),
    });
    const t0 = performance.now();
    const reportProgress = progressHook({
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.progressEvery !== undefined ? { progressEvery: options.progressEvery } : {}),
      steps,
      start,
      t0,
      primary,
    });
    const abort = new AbortWatch(options.signal);
    const leaks = new LeakGuard(start, players.map((p) => p.name));
    const losses: Record<string, number> = {};

    const finish = (status: TrainResult['status'], done: number): TrainResult => {
      const seconds = (performance.now() - t0) / 1000;
      return {
        status,
        steps: done,
        seconds,
        stepsPerSecond: (done - start) / Math.max(seconds, 1e-9),
        finalLoss: lossHistory.length > 0 ? lossHistory[lossHistory.length - 1]! : NaN,
        lossHistory,
        rollbacks: rollback.rollbacks,
        lrScale: rollback.lrScale,
      };
    };

    let step = start;
    while (step < steps) {
      if (abort.yieldDue) await abort.yieldToEventLoop();
      if (abort.aborted) {
        await checkpoints.emit(step);
        return finish('aborted', step);
      }
      rollback.beforeStep(step);
      leaks.mark();
      try {
        trainStep(step, rollback.lrScale, losses);
      } catch (error) {
        step = rollback.recover(error, step, lossHistory, options.onRollback);
        continue;
      }
      ema?.update(step);
      lossHistory.push(losses[primary]!);
      leaks.check(step);
      const done = step + 1;
      reportProgress(done, losses);
      await checkpoints.afterStep(done);
      step = done;
    }
    return finish('completed', steps);
  } finally {
    for (const o of optimizers) o.dispose();
    rollback.dispose();
    if (ema) {
      ema.copyToPlayer();
      ema.dispose();
    }
  }
}
