// One training loop for every family. A step updates each player of the objective in turn
// (players[0] is the primary one, e.g. the generator), each `updatesPerStep` times, on its own
// minibatch. Randomness of step s is createRng(seed).fold(1).fold(s) and minibatches walk
// seeded per-epoch permutations, so a run resumed from a checkpoint is bitwise identical to an
// uninterrupted one on the same backend. With `divergence: { action: 'rollback' }` a NaN/Inf loss or
// gradient restores the last snapshot (taken every `snapshotEvery` steps) and goes on with a lower
// learning rate; the snapshot, the learning-rate scale and the rollback count travel in checkpoints,
// so a resumed run still matches an uninterrupted one.
import * as tf from '@tensorflow/tfjs-core';
import type { Player, TrainingRun } from '../contracts/objective.js';
import { createRng, type Rng } from '../rng/rng.js';
import { createOptimizer, optimizerSchema, type Optimizer, type OptimizerOptions, type OptimizerState } from './optimizer.js';
import { TensorLeakError, TrainingDivergedError } from './errors.js';
import { dataFingerprint, type DataFingerprint } from './data-fingerprint.js';
import { divergenceSchema, type DivergenceConfig, type DivergenceOptions } from './divergence.js';

export interface TrainProgress {
  /** Steps completed. */
  step: number;
  steps: number;
  /** Loss of the primary player at the last step. */
  loss: number;
  /** Last loss of every player, by name. */
  losses: Record<string, number>;
  stepsPerSecond: number;
  /** Estimated seconds left. */
  etaSeconds: number;
}

/** Parameters and optimizer state at the start of step `step`: where a rollback returns to. */
export interface TrainingSnapshot {
  step: number;
  /** Player variables by player name, in the player's variable order. */
  variables: Record<string, tf.Tensor[]>;
  optimizers: Record<string, OptimizerState>;
  run?: { json: Record<string, unknown>; tensors: Record<string, tf.Tensor> };
}

/** A rollback after a divergence: training goes back from `fromStep` to `toStep`. */
export interface RollbackEvent {
  /** The step (1-based, as in messages) whose loss or gradient was not finite. */
  fromStep: number;
  /** Steps completed at the snapshot training continues from. */
  toStep: number;
  /** The divergence, in words. */
  reason: string;
  /** Rollbacks so far, this one included. */
  rollbacks: number;
  /** Factor now applied to every learning rate. */
  lrScale: number;
}

/** Everything needed to continue a run exactly where it stopped. Tensors are owned by the checkpoint. */
export interface Checkpoint {
  step: number;
  seed: number;
  steps: number;
  batchSize: number;
  /** Player variables by player name, in the player's variable order. */
  variables: Record<string, tf.Tensor[]>;
  optimizers: Record<string, OptimizerState>;
  run?: { json: Record<string, unknown>; tensors: Record<string, tf.Tensor> };
  /** Primary loss per completed step. */
  lossHistory: number[];
  /** Shape and hash of the training data (resuming on other data is refused). */
  data?: DataFingerprint;
  /** The tfjs backend that made the checkpoint (results are bitwise reproducible only on the same one). */
  backend?: string;
  /** Factor applied to every learning rate (below 1 after rollbacks). Default 1. */
  lrScale?: number;
  /** Rollbacks done so far. Default 0. */
  rollbacks?: number;
  /** The rollback target (runs with `divergence.action = 'rollback'`). */
  rollback?: TrainingSnapshot;
}

export interface TrainOptions {
  steps: number;
  batchSize: number;
  seed: number;
  optimizer?: OptimizerOptions;
  onProgress?: (progress: TrainProgress) => void;
  /** Call onProgress every this many steps (and after the last). Default 10. */
  progressEvery?: number;
  signal?: AbortSignal;
  /** Call onCheckpoint every this many steps (0 = never; also called on abort). */
  checkpointEvery?: number;
  /** Receives a checkpoint; the trainer disposes it after the returned promise settles. */
  onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
  /** Continue from this checkpoint (not disposed by the trainer). */
  resume?: Checkpoint;
  /** What to do when a loss or gradient is NaN or ±Inf (default: stop). */
  divergence?: DivergenceOptions;
  /** Called after each rollback (divergence.action = 'rollback'). */
  onRollback?: (event: RollbackEvent) => void;
  /** Called with a message when the run goes on despite a problem (e.g. resumed on another backend). */
  onWarning?: (message: string) => void;
}

export interface TrainResult {
  status: 'completed' | 'aborted';
  /** Steps completed in total (including those before a resume). */
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  finalLoss: number;
  lossHistory: number[];
  /** Rollbacks done (including those before a resume). */
  rollbacks: number;
  /** Factor applied to every learning rate at the end (1 without rollbacks). */
  lrScale: number;
}

/** Resolves after pending macrotasks (timers, I/O, messages) have had a chance to run. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** Disposes every tensor of a checkpoint (and of its rollback snapshot). */
export function disposeCheckpoint(checkpoint: Checkpoint): void {
  disposeSnapshot(checkpoint);
  if (checkpoint.rollback) disposeSnapshot(checkpoint.rollback);
}

function disposeSnapshot(snapshot: Pick<TrainingSnapshot, 'variables' | 'optimizers' | 'run'>): void {
  for (const ts of Object.values(snapshot.variables)) tf.dispose(ts);
  for (const st of Object.values(snapshot.optimizers)) for (const ts of Object.values(st.slots)) tf.dispose(ts);
  if (snapshot.run) tf.dispose(Object.values(snapshot.run.tensors));
}

function cloneSnapshot(snapshot: TrainingSnapshot): TrainingSnapshot {
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

/**
 * After a loss that threw inside tf.variableGrads, tfjs leaves its gradient tape behind with the
 * tensors it saved for the backward pass (kept, so no tidy scope frees them). Frees them.
 */
function discardGradientTape(): void {
  const state = tf.engine().state;
  if (state.gradientDepth !== 0 || !state.activeTape) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null as unknown as typeof state.activeTape;
}

/** Throws if `data` holds a NaN or ±Inf, naming the first such entry. */
function checkFiniteData(data: tf.Tensor2D): void {
  const values = data.dataSync();
  const cols = data.shape[1];
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      const row = Math.floor(i / cols);
      throw new RangeError(
        `train: data row ${row}, column ${i - row * cols} (0-based) is ${values[i]}; the training data must be finite (remove or impute that row)`,
      );
    }
  }
}

/** Row indices of the k-th minibatch: consecutive slices of seeded per-epoch permutations. */
class BatchIndexer {
  private epoch = -1;
  private order: Int32Array = new Int32Array(0);
  constructor(
    private readonly size: number,
    private readonly batchSize: number,
    private readonly rng: Rng,
  ) {}
  indices(k: number): Int32Array {
    const out = new Int32Array(this.batchSize);
    let pos = k * this.batchSize;
    for (let i = 0; i < this.batchSize; i++, pos++) {
      const e = Math.floor(pos / this.size);
      if (e !== this.epoch) {
        this.epoch = e;
        this.order = this.rng.fold(e).permutation(this.size);
      }
      out[i] = this.order[pos - e * this.size]!;
    }
    return out;
  }
}

function validate(options: TrainOptions): void {
  const positiveInt = (v: number, name: string) => {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`train: "${name}" must be a positive integer, got ${v}`);
  };
  positiveInt(options.steps, 'steps');
  positiveInt(options.batchSize, 'batchSize');
  if (!Number.isInteger(options.seed)) throw new RangeError(`train: "seed" must be an integer, got ${options.seed}`);
}

/**
 * Trains `run` on `data` (`[N, dim]`, not owned). Resolves when done or aborted; throws
 * TrainingDivergedError (parameters of the last good step kept) or TensorLeakError.
 */
export async function train(run: TrainingRun, data: tf.Tensor2D, options: TrainOptions): Promise<TrainResult> {
  validate(options);
  if (data.rank !== 2 || data.shape[0] === 0) throw new RangeError(`train: data must be [N, d] with N > 0`);
  const divergence: DivergenceConfig = parseDivergence(options.divergence);
  const { steps, batchSize, seed } = options;
  const players = run.players;
  if (players.length === 0) throw new RangeError('train: the objective has no players');
  checkFiniteData(data);
  const fingerprint = dataFingerprint(data);
  const backend = tf.getBackend();
  const baseConfig = optimizerSchema.parse(options.optimizer ?? {});
  const optimizers: Optimizer[] = players.map((p) =>
    createOptimizer({ ...baseConfig, ...(p.optimizer ?? {}) }, p.variables),
  );
  const root = createRng(seed);
  const stepRoot = root.fold(1);
  const indexer = new BatchIndexer(data.shape[0], batchSize, root.fold(2));
  const updatesPerStep = players.map((p) => Math.max(1, Math.floor(p.updatesPerStep ?? 1)));
  const batchesPerStep = updatesPerStep.reduce((a, b) => a + b, 0);
  let lossHistory: number[] = [];
  let start = 0;
  let lrScale = 1;
  let rollbacks = 0;
  let last: TrainingSnapshot | undefined;
  const rollingBack = divergence.action === 'rollback';

  const takeSnapshot = (step: number): TrainingSnapshot => ({
    step,
    variables: Object.fromEntries(players.map((p) => [p.name, p.variables.map((v) => tf.clone(v))])),
    optimizers: Object.fromEntries(players.map((p, i) => [p.name, optimizers[i]!.state()])),
    ...(run.state ? { run: run.state() } : {}),
  });

  try {
    if (options.resume) {
      const c = options.resume;
      checkResumable(c, fingerprint, options);
      if (c.backend !== undefined && c.backend !== backend) {
        options.onWarning?.(
          `resume: the checkpoint was made on the "${c.backend}" backend and this run uses "${backend}"; it continues, but is not bitwise identical to an uninterrupted run`,
        );
      }
      restoreSnapshot(c, run, optimizers);
      start = c.step;
      lossHistory = c.lossHistory.slice(0, start);
      lrScale = c.lrScale ?? 1;
      rollbacks = c.rollbacks ?? 0;
      if (rollingBack && c.rollback) {
        if (c.rollback.step > c.step) throw new RangeError(`resume: the rollback snapshot (step ${c.rollback.step}) is after the checkpoint (step ${c.step})`);
        last = cloneSnapshot(c.rollback);
      }
    }

    const snapshot = (step: number): Checkpoint => ({
      ...takeSnapshot(step),
      seed,
      steps,
      batchSize,
      lossHistory: lossHistory.slice(),
      data: fingerprint,
      backend,
      lrScale,
      rollbacks,
      ...(last ? { rollback: cloneSnapshot(last) } : {}),
    });
    const emitCheckpoint = async (step: number) => {
      if (!options.onCheckpoint) return;
      const c = snapshot(step);
      try {
        await options.onCheckpoint(c);
      } finally {
        disposeCheckpoint(c);
      }
    };

    const t0 = performance.now();
    const lastLosses: Record<string, number> = {};
    const progressEvery = Math.max(1, options.progressEvery ?? 10);

    let lastYield = performance.now();
    let step = start;
    while (step < steps) {
      // Let timers and signal handlers (Ctrl-C, a Stop button) run about every 50 ms.
      if (options.signal && performance.now() - lastYield > 50) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      if (options.signal?.aborted) {
        await emitCheckpoint(step);
        return finish('aborted', step);
      }
      if (rollingBack && (last === undefined || (step % divergence.snapshotEvery === 0 && last.step !== step))) {
        const previous = last;
        last = takeSnapshot(step);
        if (previous) disposeSnapshot(previous);
      }
      const aliveBefore = tf.memory().numTensors;
      const stepRng = stepRoot.fold(step);
      let k = 0;
      try {
        run.beforeStep?.(step, stepRng.fold(0));
        for (let j = 0; j < players.length; j++) {
          for (let u = 0; u < updatesPerStep[j]!; u++, k++) {
            const idx = indexer.indices(step * batchesPerStep + k);
            const value = updatePlayer(players[j]!, optimizers[j]!, data, idx, stepRng.fold(1 + 64 * j + u), step, steps, lrScale);
            lastLosses[players[j]!.name] = value;
          }
        }
      } catch (error) {
        if (!(error instanceof TrainingDivergedError) || !rollingBack) throw error;
        if (rollbacks >= divergence.maxRollbacks || last === undefined || last.step >= step) {
          const why =
            rollbacks >= divergence.maxRollbacks
              ? `after ${rollbacks} rollback(s), the most allowed (divergence.maxRollbacks)`
              : `and there is no earlier snapshot to roll back to (the last one is from step ${last?.step ?? step})`;
          throw new TrainingDivergedError(`${error.message}; stopped ${why}`, error.completedSteps);
        }
        restoreSnapshot(last, run, optimizers);
        rollbacks += 1;
        lrScale *= divergence.lrFactor;
        if (lossHistory.length > last.step) lossHistory.length = last.step;
        options.onRollback?.({ fromStep: step + 1, toStep: last.step, reason: error.message, rollbacks, lrScale });
        step = last.step;
        continue;
      }
      lossHistory.push(lastLosses[players[0]!.name]!);
      // The first step may build caches; after it, a step must not leave tensors behind.
      const grown = tf.memory().numTensors - aliveBefore;
      if (step > start && grown > 0) {
        throw new TensorLeakError(
          `tensor leak: step ${step + 1} left ${grown} more tensor(s) alive than it found (objective players: ${players.map((p) => p.name).join(', ')})`,
        );
      }
      const done = step + 1;
      if (options.onProgress && (done % progressEvery === 0 || done === steps)) {
        const seconds = (performance.now() - t0) / 1000;
        const rate = (done - start) / Math.max(seconds, 1e-9);
        options.onProgress({
          step: done,
          steps,
          loss: lastLosses[players[0]!.name]!,
          losses: { ...lastLosses },
          stepsPerSecond: rate,
          etaSeconds: (steps - done) / Math.max(rate, 1e-9),
        });
      }
      if (options.checkpointEvery && done % options.checkpointEvery === 0 && done < steps) await emitCheckpoint(done);
      step = done;
    }
    return finish('completed', steps);

    function finish(status: TrainResult['status'], done: number): TrainResult {
      const seconds = (performance.now() - t0) / 1000;
      return {
        status,
        steps: done,
        seconds,
        stepsPerSecond: (done - start) / Math.max(seconds, 1e-9),
        finalLoss: lossHistory.length > 0 ? lossHistory[lossHistory.length - 1]! : NaN,
        lossHistory,
        rollbacks,
        lrScale,
      };
    }
  } finally {
    for (const o of optimizers) o.dispose();
    if (last) disposeSnapshot(last);
  }
}

function parseDivergence(options: DivergenceOptions | undefined): DivergenceConfig {
  const parsed = divergenceSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`train: "divergence.${issue.path.join('.')}": ${issue.message}`);
  }
  return parsed.data;
}

/** One update of one player; returns its loss. Leaves the variables untouched if anything is not finite. */
function updatePlayer(
  player: Player,
  optimizer: Optimizer,
  data: tf.Tensor2D,
  idx: Int32Array,
  rng: Rng,
  step: number,
  steps: number,
  lrScale: number,
): number {
  const vars = player.variables.filter((v) => v.trainable);
  let computed: { value: tf.Scalar; grads: tf.NamedTensorMap };
  try {
    computed = tf.tidy(() => {
      const batch = tf.gather(data, tf.tensor1d(idx, 'int32')) as tf.Tensor2D;
      return tf.variableGrads(() => player.loss({ batch, rng, step, totalSteps: steps }), vars as tf.Variable[]);
    });
  } catch (error) {
    discardGradientTape();
    throw error;
  }
  const { value, grads } = computed;
  try {
    const ordered = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
    const check = tf.tidy(() => tf.stack([value, tf.addN(ordered.map((g) => tf.sum(tf.square(g))))]));
    const [loss, gradSq] = check.dataSync() as Float32Array;
    check.dispose();
    if (!Number.isFinite(loss!) || !Number.isFinite(gradSq!)) {
      const what = !Number.isFinite(loss!) ? `loss is ${loss}` : `gradient norm is ${Math.sqrt(gradSq!)}`;
      throw new TrainingDivergedError(
        `training diverged at step ${step + 1}: player "${player.name}" ${what}; parameters kept from step ${step} (try a lower learning rate or gradient clipping)`,
        step,
      );
    }
    optimizer.apply(ordered, step, steps, lrScale);
    for (const [i, g] of ordered.entries()) if (!grads[vars[i]!.name]) g.dispose();
    return loss!;
  } finally {
    value.dispose();
    tf.dispose(Object.values(grads));
  }
}

function checkResumable(c: Checkpoint, fingerprint: DataFingerprint, options: TrainOptions): void {
  if (c.seed !== options.seed || c.batchSize !== options.batchSize) {
    throw new RangeError(
      `resume: checkpoint was made with seed ${c.seed} and batch size ${c.batchSize}, but this run has seed ${options.seed} and batch size ${options.batchSize}`,
    );
  }
  if (!Number.isInteger(c.step) || c.step < 0 || c.step > options.steps) {
    throw new RangeError(`resume: checkpoint step ${c.step} is outside 0..${options.steps}`);
  }
  if (c.data && (c.data.rows !== fingerprint.rows || c.data.cols !== fingerprint.cols || c.data.hash !== fingerprint.hash)) {
    throw new RangeError(
      `resume: the checkpoint was made on other data (${c.data.rows}×${c.data.cols}, hash ${c.data.hash}) than this run's (${fingerprint.rows}×${fingerprint.cols}, hash ${fingerprint.hash}); resume on the same data set`,
    );
  }
  if (c.lrScale !== undefined && !(c.lrScale > 0 && c.lrScale <= 1)) throw new RangeError(`resume: checkpoint lrScale ${c.lrScale} is outside (0, 1]`);
}

/** Sets the players' variables, the optimizers and the objective's state from `c`. */
function restoreSnapshot(c: TrainingSnapshot, run: TrainingRun, optimizers: Optimizer[]): void {
  run.players.forEach((p, i) => {
    const saved = c.variables[p.name];
    if (!saved || saved.length !== p.variables.length) {
      throw new RangeError(`resume: checkpoint has ${saved?.length ?? 0} variables for player "${p.name}", expected ${p.variables.length}`);
    }
    p.variables.forEach((v, k) => {
      if (saved[k]!.shape.join(',') !== v.shape.join(',')) {
        throw new RangeError(`resume: player "${p.name}" variable ${k} has shape [${saved[k]!.shape}], expected [${v.shape}]`);
      }
      v.assign(saved[k]!);
    });
    const st = c.optimizers[p.name];
    if (!st) throw new RangeError(`resume: checkpoint has no optimizer state for player "${p.name}"`);
    optimizers[i]!.restore(st);
  });
  if (c.run) {
    if (!run.restore) throw new RangeError('resume: checkpoint has objective state but the objective cannot restore it');
    run.restore(c.run);
  }
}
