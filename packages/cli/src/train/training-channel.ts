import type { StopSignal } from '../cli/stop-signal.js';

/** What the host of a run needs to finish it alone when the training thread cannot. */
export interface TrainingInfo {
  method: string;
  backend: string;
  /** Steps of the recipe. */
  steps: number;
  /** Steps done before this run (a resumed run). */
  startStep: number;
  /** Where checkpoints go (`<out>.ckpt.json`). */
  checkpointPath: string;
}

/**
 * How {@link runTraining} hears of SIGINT/SIGTERM and hands over its checkpoints. In one thread
 * ({@link processSignalChannel}) the loop itself installs the handlers and writes the files; off
 * the main thread ({@link mainThreadChannel}) the main thread owns the signals, raises a shared
 * stop flag and writes every checkpoint file, so it can also write the last completed step's
 * snapshot when a long step does not end in time.
 */
export interface TrainingChannel {
  /** The loop starts: from now on a signal calls `onStop` (once) and the loop stops after its step. */
  begin(info: TrainingInfo, onStop: (signal: StopSignal) => void): void;
  /** The signal that asked the loop to stop, read after every step (undefined: none yet). */
  stopRequested(): StopSignal | undefined;
  /** Whether a snapshot after each long step is of use (a host that can write it when the loop cannot). */
  readonly takesSnapshots: boolean;
  /** The encoded checkpoint of the step just completed (ownership moves to the host). */
  offerSnapshot(step: number, bytes: Uint8Array): void;
  /**
   * Writes the checkpoint file `path` atomically: `bytes`, or, when undefined, the snapshot
   * offered for `step` (never encoded twice). Rejects with the write's error.
   */
  writeCheckpoint(path: string, step: number, bytes: Uint8Array | undefined): Promise<void>;
  /** The loop ended (finished, stopped or diverged): a signal no longer waits for a step. */
  end(): void;
}
