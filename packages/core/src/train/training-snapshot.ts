// The parameters, optimizer state and objective state of a run at the start of a step: what a
// rollback returns to and what a checkpoint carries. Restoring one makes the run continue exactly
// as if it had never left that step (same backend). With EMA on, the averaged weights θ̄ travel
// beside the parameters θ.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingRun } from '../contracts/objective.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import type { EmaWeights } from './ema-weights.js';

/** Parameters and optimizer state at the start of step `step`: where a rollback returns to. */
export interface TrainingSnapshot {
  step: number;
  /** Player variables by player name, in the player's variable order. */
  variables: Record<string, tf.Tensor[]>;
  optimizers: Record<string, OptimizerState>;
  run?: { json: Record<string, unknown>; tensors: Record<string, tf.Tensor> };
  /** Averaged weights θ̄ (EMA on) by player name, in the player's trainable-variable order. */
  ema?: Record<string, tf.Tensor[]>;
}

/**
 * Copies the players' variables, the optimizers' state (`optimizers[i]` is player i's), the
 * objective's state and, when given, the averaged weights of `ema`.
 */
export function takeSnapshot(run: TrainingRun, optimizers: readonly Optimizer[], step: number, ema?: EmaWeights): TrainingSnapshot {
  return {
    step,
    variables: Object.fromEntries(run.players.map((p) => [p.name, p.variables.map((v) => tf.clone(v))])),
    optimizers: Object.fromEntries(run.players.map((p, i) => [p.name, optimizers[i]!.state()])),
    ...(run.state ? { run: run.state() } : {}),
    ...(ema ? { ema: { [ema.playerName]: ema.state() } } : {}),
  };
}

/** A deep copy: every tensor cloned, the objective's JSON state structured-cloned. */
export function cloneSnapshot(snapshot: TrainingSnapshot): TrainingSnapshot {
  const list = (ts: tf.Tensor[]) => ts.map((t) => tf.clone(t));
  return {
    step: snapshot.step,
    variables: Object.fromEntries(Object.entries(snapshot.variables).map(([k, ts]) => [k, list(ts)])),
    optimizers: Object.fromEntries(
      Object.entries(snapshot.optimizers).map(([k, st]) => [k, { slots: Object.fromEntries(Object.entries(st.slots).map(([n, ts]) => [n, list(ts)])) }]),
    ),
    ...(snapshot.run
      ? { run: { json: structuredClone(snapshot.run.json), tensors: Object.fromEntries(Object.entries(snapshot.run.tensors).map(([k, t]) => [k, tf.clone(t)])) } }
      : {}),
    ...(snapshot.ema ? { ema: Object.fromEntries(Object.entries(snapshot.ema).map(([k, ts]) => [k, list(ts)])) } : {}),
  };
}

/** Disposes every tensor a snapshot holds (variables, optimizer slots, objective state, averaged weights). */
export function disposeSnapshot(snapshot: Pick<TrainingSnapshot, 'variables' | 'optimizers' | 'run' | 'ema'>): void {
  for (const ts of Object.values(snapshot.variables)) tf.dispose(ts);
  for (const st of Object.values(snapshot.optimizers)) for (const ts of Object.values(st.slots)) tf.dispose(ts);
  if (snapshot.run) tf.dispose(Object.values(snapshot.run.tensors));
  if (snapshot.ema) for (const ts of Object.values(snapshot.ema)) tf.dispose(ts);
}

/**
 * Sets the players' variables, the optimizers, the objective's state and, with `ema`, the averaged
 * weights from `snapshot` (not consumed; a snapshot without averaged weights restarts the average
 * at the restored θ). Throws a RangeError naming the player when a variable count or shape does
 * not match.
 */
export function restoreSnapshot(snapshot: TrainingSnapshot, run: TrainingRun, optimizers: readonly Optimizer[], ema?: EmaWeights): void {
  run.players.forEach((p, i) => {
    const saved = snapshot.variables[p.name];
    if (!saved || saved.length !== p.variables.length) {
      throw new RangeError(`resume: checkpoint has ${saved?.length ?? 0} variables for player "${p.name}", expected ${p.variables.length}`);
    }
    p.variables.forEach((v, k) => {
      if (saved[k]!.shape.join(',') !== v.shape.join(',')) {
        throw new RangeError(`resume: player "${p.name}" variable ${k} has shape [${saved[k]!.shape}], expected [${v.shape}]`);
      }
      v.assign(saved[k]!);
    });
    const st = snapshot.optimizers[p.name];
    if (!st) throw new RangeError(`resume: checkpoint has no optimizer state for player "${p.name}"`);
    optimizers[i]!.restore(st);
  });
  if (snapshot.run) {
    if (!run.restore) throw new RangeError('resume: checkpoint has objective state but the objective cannot restore it');
    run.restore(snapshot.run);
  }
  if (ema) {
    const saved = snapshot.ema?.[ema.playerName];
    if (saved) ema.restore(saved);
    else ema.reset();
  }
}
