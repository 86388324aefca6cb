import type * as tf from '@tensorflow/tfjs-core';
import { train, TrainingDivergedError, withOptimizerEntry, type Checkpoint, type Recipe, type Registry, type TrainingRun, type TrainResult } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { checkpointCadence } from './checkpoint-cadence.js';
import { writeCheckpointFile } from './checkpoint-store.js';
import type { CheckpointTimer } from './checkpoint-timer.js';
import type { ProgressReporter } from './progress-reporter.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** Where and when `runTraining` writes checkpoints (Ctrl-C always writes one). */
export interface CheckpointPolicy {
  path: string;
  /** --checkpoint-every: every this many steps. */
  every: number | undefined;
  /** --checkpoint-minutes: whenever this says one is due. */
  timer: CheckpointTimer;
}

/** What `runTraining` trains. */
export interface TrainingJob {
  run: TrainingRun;
  recipe: Recipe;
  /** Resolves an optimizer given by registry id (`{ id, options }`) in the recipe. */
  registry: Registry;
  data: tf.Tensor2D;
  checkpoints: CheckpointPolicy;
  resume: { path: string; checkpoint: Checkpoint } | undefined;
  progress: ProgressReporter;
  /** --time-limit: stop after this many minutes of wall time (a checkpoint is written, as on a signal). */
  timeLimitMinutes?: number;
  /** --labels: the label of each data row (`[N]` int32, not owned), carried with every minibatch. */
  condition?: tf.Tensor;
}

/** How a run ended: its result (completed, or aborted by a signal or the time limit), or divergence. */
export type TrainingOutcome =
  | { status: 'finished'; result: TrainResult; lastCheckpointStep: number; stoppedBy?: 'signal' | 'time-limit' }
  | { status: 'diverged'; error: TrainingDivergedError; rollbacks: number };

/**
 * Trains `job.run` to the end of its recipe, writing checkpoints by the policy and one on
 * SIGINT/SIGTERM before stopping (a second signal quits at once), and reporting rollbacks and
 * warnings. The loop yields to the event loop at every checkpoint look, so signals get through.
 */
export async function runTraining(job: TrainingJob): Promise<TrainingOutcome> {
  const { run, recipe, data, checkpoints, resume, progress } = job;
  const recipeJson = recipe as unknown as Record<string, unknown>;
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      progress.message(`${signal} again: quitting without a checkpoint`, true);
      process.exit(EXIT_CODES.interrupted);
    }
    progress.message(`${signal}: stopping after this step and writing a checkpoint (press Ctrl-C again to quit at once)`, true);
    stoppedBy ??= 'signal';
    controller.abort();
  };
  let lastWritten = -1;
  let rollbacks = resume?.checkpoint.rollbacks ?? 0;
  let stoppedBy: 'signal' | 'time-limit' | undefined;
  const limit = job.timeLimitMinutes;
  const timeLimit =
    limit === undefined
      ? undefined
      : setTimeout(() => {
          if (controller.signal.aborted) return;
          stoppedBy = 'time-limit';
          progress.message(`time limit of ${limit} min reached: stopping after this step and saving the model`, true);
          controller.abort();
        }, limit * 60_000);
  timeLimit?.unref();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await train(run, data, {
      steps: recipe.steps,
      batchSize: recipe.batchSize,
      seed: recipe.seed,
      optimizer: withOptimizerEntry(recipe.optimizer, job.registry),
      progressEvery: 1,
      ...(job.condition ? { condition: job.condition } : {}),
      onProgress: (p) => progress.update(p),
      signal: controller.signal,
      checkpointEvery: checkpointCadence(recipe.steps, checkpoints.every),
      onCheckpoint: async (checkpoint) => {
        await yieldToEventLoop();
        const wanted =
          controller.signal.aborted || (checkpoints.every !== undefined && checkpoint.step % checkpoints.every === 0) || checkpoints.timer.due();
        if (!wanted || checkpoint.step === lastWritten) return;
        await writeCheckpointFile(checkpoints.path, checkpoint, recipeJson);
        checkpoints.timer.written();
        lastWritten = checkpoint.step;
      },
      ...(recipe.divergence ? { divergence: recipe.divergence } : {}),
      ...(recipe.ema ? { ema: recipe.ema } : {}),
      onRollback: (event) => {
        rollbacks = event.rollbacks;
        progress.message(
          `step ${event.fromStep}: diverged; rolled back to step ${event.toStep} with the learning rate times ${event.lrScale} (rollback ${event.rollbacks} of ${recipe.divergence?.maxRollbacks ?? 3})`,
          true,
        );
      },
      onWarning: (message) => progress.message(`warning: ${message}`, true),
      ...(resume ? { resume: resume.checkpoint } : {}),
    });
    return { status: 'finished', result, lastCheckpointStep: lastWritten, ...(stoppedBy !== undefined ? { stoppedBy } : {}) };
  } catch (error) {
    if (resume && error instanceof RangeError && error.message.startsWith('resume: ')) {
      throw new CliError(`--resume ${resume.path}: ${error.message.slice('resume: '.length)}`, { cause: error });
    }
    if (!(error instanceof TrainingDivergedError)) throw error;
    return { status: 'diverged', error, rollbacks };
  } finally {
    if (timeLimit !== undefined) clearTimeout(timeLimit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
