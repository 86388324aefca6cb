// The parameters, optimizer state and objective state of a run at the start of a step: what a
// rollback returns to and what a checkpoint carries. Restoring one makes the run continue exactly
// as if it had never left that step (same backend).
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingRun } from '../contracts/objective.js';
import type { Optimizer, OptimizerState } from './optimizer.js';

/** Parameters and optimizer state at the start of step `step`: where a rollback returns to. */
export interface TrainingSnapshot {
  step: number;
  /** Player variables by player name, in the player's variable order. */
  variables: Record<string, tf.Tensor[]>;
  optimizers: Record<string, OptimizerState>;
  run?: { json: Record<string, unknown>; tensors: Record<string, tf.Tensor> };
}

/** Copies the players' variables, the optimizers' state (`optimizers[i]` is player i's) and the objective's state. */
export function takeSnapshot(run: TrainingRun, optimizers: readonly Optimizer[], step: number): TrainingSnapshot {
  return {
    step,
    variables: Object.fromEntries(run.players.map((p) => [p.name, p.variables.map((v) => tf.clone(v))])),
    optimizers: Object.fromEntries(run.players.map((p, i) => [p.name, optimizers[i]!.state()])),
    ...(run.state ? { run: run.state() } : {}),
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
  };
}

/** Disposes every tensor a snapshot holds (variables, optimizer slots, objective state). */
export function disposeSnapshot(snapshot: Pick<TrainingSnapshot, 'variables' | 'optimizers' | 'run'>): void {
  for (const ts of Object.values(snapshot.variables)) tf.dispose(ts);
  for (const st of Object.values(snapshot.optimizers)) for (const ts of Object.values(st.slots)) tf.dispose(ts);
  if (snapshot.run) tf.dispose(Object.values(snapshot.run.tensors));
}

/**
 * Sets the players' variables, the optimizers and the objective's state from `snapshot` (not
 * consumed). Throws a RangeError naming the player when a variable count or shape does not match.
 */
export function restoreSnapshot(snapshot: TrainingSnapshot, run: TrainingRun, optimizers: readonly Optimizer[]): void {
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
}
