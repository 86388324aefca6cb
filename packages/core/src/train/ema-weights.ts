// The averaged weights θ̄ of the primary player (players[0]: the generator, the flow, the velocity
// field — the network the model samples with): updated after each completed step by
//   θ̄ ← θ̄ − (1 − d_s)(θ̄ − θ)   (= d_s θ̄ + (1 − d_s) θ, written so that θ̄ = θ stays exact),
// saved in snapshots and checkpoints beside θ, and copied into the model at the end of training.
import * as tf from '@tensorflow/tfjs-core';
import type { Player } from '../contracts/objective.js';
import type { EmaConfig } from './ema.js';
import { emaDecay } from './ema-decay.js';

/** θ̄ for the trainable variables of one player; starts at θ. Owns its tensors. */
export class EmaWeights {
  private readonly sources: tf.Variable[];
  private readonly averages: tf.Variable[];

  /**
   * @param config decay and warm-up (parsed)
   * @param player the averaged player (its trainable variables, in order)
   */
  constructor(
    readonly config: EmaConfig,
    readonly player: Player,
  ) {
    this.sources = player.variables.filter((v) => v.trainable);
    this.averages = this.sources.map((v) => tf.tidy(() => tf.variable(tf.clone(v), false)));
  }

  /** Name of the averaged player (the key of its state in snapshots). */
  get playerName(): string {
    return this.player.name;
  }

  /** Folds the current θ in after step `step` (0-based) with decay `emaDecay(config, step)`. */
  update(step: number): void {
    const rate = 1 - emaDecay(this.config, step);
    tf.tidy(() => {
      this.averages.forEach((avg, i) => {
        avg.assign(rate === 1 ? this.sources[i]! : tf.sub(avg, tf.mul(tf.sub(avg, this.sources[i]!), rate)));
      });
    });
  }

  /** Copies of θ̄ (owned by the caller), in the player's trainable-variable order. */
  state(): tf.Tensor[] {
    return this.averages.map((a) => tf.clone(a));
  }

  /** Sets θ̄ from `saved` (not consumed); throws a RangeError naming the variable when a count or shape differs. */
  restore(saved: readonly tf.Tensor[]): void {
    if (saved.length !== this.averages.length) {
      throw new RangeError(`resume: checkpoint has ${saved.length} averaged (ema) variables for player "${this.player.name}", expected ${this.averages.length}`);
    }
    saved.forEach((t, k) => {
      const a = this.averages[k]!;
      if (t.shape.join(',') !== a.shape.join(',')) {
        throw new RangeError(`resume: player "${this.player.name}" averaged (ema) variable ${k} has shape [${t.shape}], expected [${a.shape}]`);
      }
    });
    saved.forEach((t, k) => this.averages[k]!.assign(t));
  }

  /** Restarts the average at the current θ (θ̄ ← θ). */
  reset(): void {
    this.averages.forEach((a, i) => a.assign(this.sources[i]!));
  }

  /** Writes θ̄ into the player's variables (end of training: the model samples with θ̄). */
  copyToPlayer(): void {
    this.sources.forEach((v, i) => v.assign(this.averages[i]!));
  }

  /** Disposes θ̄. */
  dispose(): void {
    for (const a of this.averages) a.dispose();
  }
}
