import type { ProgressSink } from '../train/progress-sink.js';
import type { TrainingChannel } from '../train/training-channel.js';

/**
 * What a command running off the main thread gets from its host (see `runOffMainThread`): a
 * progress line drawn by the main thread and the channel through which the main thread stops a
 * training loop and writes its checkpoints.
 */
export interface CommandHost {
  /** Tells the main thread the files the command writes (their temporaries go when a signal stops it). */
  outputs(paths: readonly string[]): void;
  /** The progress line (`quiet`: only the messages that must be printed). */
  progress(quiet: boolean): ProgressSink;
  /** The channel of a training run. */
  trainingChannel(): TrainingChannel;
}
