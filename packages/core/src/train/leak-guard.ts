// A training step must leave as many tensors alive as it found: anything more is a leak that
// would grow with every step. The first step of a run may build caches and is not checked.
import * as tf from '@tensorflow/tfjs-core';
import { TensorLeakError } from './errors.js';

/** Counts live tensors around a step and throws TensorLeakError when a step left more behind. */
export class LeakGuard {
  private aliveBefore = 0;

  /**
   * @param firstStep the run's first step (after a resume, the resumed step), which is not checked
   * @param players names of the objective's players, for the message
   */
  constructor(
    private readonly firstStep: number,
    private readonly players: readonly string[],
  ) {}

  /** Records the live tensor count; call right before the step. */
  mark(): void {
    this.aliveBefore = tf.memory().numTensors;
  }

  /** Throws when step `step` (0-based) left more tensors alive than `mark` saw. */
  check(step: number): void {
    const grown = tf.memory().numTensors - this.aliveBefore;
    if (step > this.firstStep && grown > 0) {
      throw new TensorLeakError(`tensor leak: step ${step + 1} left ${grown} more tensor(s) alive than it found (objective players: ${this.players.join(', ')})`);
    }
  }
}
