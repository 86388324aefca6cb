// Checkpoints go out every `checkpointEvery` completed steps, or after the steps a predicate picks
// (not after the last: the result is the final state), and on abort. The receiver may be async; the checkpoint's tensors are disposed
// once its promise settles.
import { disposeCheckpoint, type Checkpoint } from './checkpoint.js';

/** When to checkpoint, where to send it and how to make one. */
export interface CheckpointHookOptions {
  /**
   * Every this many steps (0 or undefined: only on abort), or after each completed step `done`
   * for which the predicate is true (a caller that decides as the run goes, e.g. from step times).
   */
  checkpointEvery?: number | ((done: number) => boolean);
  onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
  steps: number;
  /** Builds the checkpoint at step `step` (called only when there is a receiver). */
  make: (step: number) => Checkpoint;
}

/** Emits checkpoints: `emit(step)` unconditionally, `afterStep(done)` when `done` is due. */
export interface CheckpointHook {
  emit(step: number): Promise<void>;
  afterStep(done: number): Promise<void>;
}

/** Builds the checkpoint hook of a run. */
export function checkpointHook(options: CheckpointHookOptions): CheckpointHook {
  const { checkpointEvery, onCheckpoint, steps, make } = options;
  const emit = async (step: number) => {
    if (!onCheckpoint) return;
    const c = make(step);
    try {
      await onCheckpoint(c);
    } finally {
      disposeCheckpoint(c);
    }
  };
  return {
    emit,
    afterStep: async (done) => {
      if (done >= steps || !checkpointEvery) return;
      const due = typeof checkpointEvery === 'function' ? checkpointEvery(done) : done % checkpointEvery === 0;
      if (due) await emit(done);
    },
  };
}
