import type { TrainProgress } from '@pfm/core';

/**
 * Where `pfm train` reports: the progress line and messages on their own lines. A
 * {@link ProgressReporter} draws them on stderr; off the main thread, a proxy hands each call to
 * the main thread, which owns the line (so its own messages, on a signal, never garble it).
 */
export interface ProgressSink {
  /** A message on its own line (clears the bar first); `always` prints it even when quiet. */
  message(text: string, always?: boolean): void;
  /** The progress after a completed step. */
  update(progress: TrainProgress): void;
  /** Ends the bar's line (terminal only). */
  clear(): void;
}
