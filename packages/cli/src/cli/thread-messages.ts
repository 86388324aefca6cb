// The messages between the main thread of `pfm` and the thread that runs a command
// (run-off-main-thread on one side, command-worker on the other). Structured-clone data only.
import type { TrainProgress } from '@pfm/core';
import type { TrainingInfo } from '../train/training-channel.js';
import type { StopSignal } from './stop-signal.js';

/** What the command thread starts with (`workerData`). */
export interface CommandThreadInput {
  /** The command's name (`train`, `sample`, …). */
  command: string;
  /** The words after the command name. */
  argv: string[];
  /** Whether the main thread's stderr is a terminal, and its width. */
  stderrIsTTY: boolean;
  columns: number | undefined;
  /**
   * One Int32 the main thread sets to 1 (SIGINT) or 2 (SIGTERM) on a signal, read by the training
   * loop after every step without waiting for a message.
   */
  stopFlag: SharedArrayBuffer;
}

/** The value of the stop flag for each signal (0: none). */
export const STOP_FLAG_VALUES: Record<StopSignal, number> = { SIGINT: 1, SIGTERM: 2 };

/** From the command thread to the main thread. */
export type CommandThreadMessage =
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  /** The files the command writes: their temporaries are removed when a signal stops it. */
  | { type: 'outputs'; paths: string[] }
  | { type: 'progress-message'; text: string; always: boolean }
  /** A completed step; `draw`: whether the progress line shows it (not with --quiet). */
  | { type: 'progress-update'; progress: TrainProgress; draw: boolean }
  | { type: 'progress-clear' }
  | { type: 'training-begin'; info: TrainingInfo }
  | { type: 'training-end' }
  /** The encoded checkpoint of the step just completed; its buffer is transferred. */
  | { type: 'snapshot'; step: number; bytes: Uint8Array }
  /** Write this checkpoint file (`bytes` undefined: the snapshot of `step`) and answer `written`. */
  | { type: 'write-checkpoint'; id: number; path: string; step: number; bytes: Uint8Array | undefined }
  | { type: 'done'; code: number };

/** From the main thread to the command thread. */
export type MainThreadMessage =
  | { type: 'stop'; signal: StopSignal }
  /** The answer to `write-checkpoint` `id`: `error` is the message of a failed write. */
  | { type: 'written'; id: number; error?: string };
