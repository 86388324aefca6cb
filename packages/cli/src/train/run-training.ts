import type * as tf from '@tensorflow/tfjs-core';
import { encodeCheckpoint, train, TrainingDivergedError, withOptimizerEntry, type Checkpoint, type Recipe, type Registry, type TrainingRun, type TrainResult } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';
import type { StopSignal } from '../cli/stop-signal.js';
import { checkpointCadence } from './checkpoint-cadence.js';
import type { CheckpointTimer } from './checkpoint-timer.js';
import { processSignalChannel } from './process-signal-channel.js';
import type { ProgressSink } from './progress-sink.js';
import { stepClock, type StepClock } from './step-clock.js';
import type { TrainingChannel } from './training-channel.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** Where and when `runTraining` writes checkpoints (a stop by a signal always writes one). */
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
  progress: ProgressSink;
  /** --time-limit: stop after this many minutes of wall time (a checkpoint is written, as on a signal). */
  timeLimitMinutes?: number;
  /** --labels: the label of each data row (`[N]` int32, not owned), carried with every minibatch. */
  condition?: tf.Tensor;
  /** How signals reach the loop and checkpoints reach the disk (default: this thread's signal handlers). */
  channel?: TrainingChannel;
  /** The backend's name, for the host that may have to finish the run alone. */
  backend?: string;
  /** Measures the steps, to tell long ones (default: wall time; a fake clock in tests). */
  clock?: StepClock;
}

/** How a run ended: its result (completed, or aborted by a signal or the time limit), or divergence. */
export type TrainingOutcome =
  | { status: 'finished'; result: TrainResult; lastCheckpointStep: number; stoppedBy?: 'signal' | 'time-limit'; signal?: StopSignal }
  | { status: 'diverged'; error: TrainingDivergedError; rollbacks: number };

const encoder = new TextEncoder();

/**
 * Trains `job.run` to the end of its recipe, writing checkpoints by the policy and one when a
 * SIGINT/SIGTERM stops it after the current step, and reporting rollbacks and warnings. The
 * channel decides where signals are heard ({@link TrainingChannel}); the stop request is read
 * after every step. When steps are long (over `LONG_STEP_MS`, measured), every completed step is
 * encoded and offered to a channel that takes snapshots, so the host can write the last
 * completed step if the next one does not end within its grace period.
 */
export async function runTraining(job: TrainingJob): Promise<TrainingOutcome> {
  const { run, recipe, data, checkpoints, resume, progress } = job;
  const channel = job.channel ?? processSignalChannel(progress);
  const recipeJson = recipe as unknown as Record<string, unknown>;
  const controller = new AbortController();
  const clock = job.clock ?? stepClock();
  let lastWritten = -1;
  let offeredStep = -1;
  let rollbacks = resume?.checkpoint.rollbacks ?? 0;
  let stoppedBy: 'signal' | 'time-limit' | undefined;
  let signal: StopSignal | undefined;
  const stop = (by: StopSignal) => {
    if (signal !== undefined) return;
    signal = by;
    stoppedBy ??= 'signal';
    controller.abort();
  };
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
  const cadence = checkpointCadence(recipe.steps, checkpoints.every);
  channel.begin(
    { method: recipe.method, backend: job.backend ?? 'unknown', steps: recipe.steps, startStep: resume?.checkpoint.step ?? 0, checkpointPath: checkpoints.path },
    stop,
  );
  try {
    const result = await train(run, data, {
      steps: recipe.steps,
      batchSize: recipe.batchSize,
      seed: recipe.seed,
      optimizer: withOptimizerEntry(recipe.optimizer, job.registry),
      progressEvery: 1,
      ...(job.condition ? { condition: job.condition } : {}),
      onProgress: (p) => {
        clock.stepEnded();
        progress.update(p);
        // The shared flag: heard after every step, even when the loop has not yielded.
        const requested = channel.stopRequested();
        if (requested !== undefined) stop(requested);
      },
      signal: controller.signal,
      checkpointEvery: (done) => (channel.takesSnapshots && clock.longSteps) || done % cadence === 0,
      onCheckpoint: async (checkpoint) => {
        await yieldToEventLoop();
        const wanted =
          controller.signal.aborted || (checkpoints.every !== undefined && checkpoint.step % checkpoints.every === 0) || checkpoints.timer.due();
        const snapshot = channel.takesSnapshots && clock.longSteps;
        if ((!wanted && !snapshot) || checkpoint.step === lastWritten) return;
        const reuse = wanted && checkpoint.step === offeredStep;
        const bytes = reuse ? undefined : encoder.encode(encodeCheckpoint(checkpoint, recipeJson));
        if (!wanted) {
          channel.offerSnapshot(checkpoint.step, bytes!);
          offeredStep = checkpoint.step;
          return;
        }
        await channel.writeCheckpoint(checkpoints.path, checkpoint.step, bytes);
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
    return {
      status: 'finished',
      result,
      lastCheckpointStep: lastWritten,
      ...(stoppedBy !== undefined ? { stoppedBy } : {}),
      ...(stoppedBy === 'signal' && signal !== undefined ? { signal } : {}),
    };
  } catch (error) {
    if (resume && error instanceof RangeError && error.message.startsWith('resume: ')) {
      throw new CliError(`--resume ${resume.path}: ${error.message.slice('resume: '.length)}`, { cause: error });
    }
    if (!(error instanceof TrainingDivergedError)) throw error;
    return { status: 'diverged', error, rollbacks };
  } finally {
    if (timeLimit !== undefined) clearTimeout(timeLimit);
    channel.end();
  }
}
