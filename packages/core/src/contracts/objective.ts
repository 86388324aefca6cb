import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng/rng.js';
import type { Model } from './model.js';
import type { PushforwardMap, VectorField } from './map.js';
import type { Registry } from '../registry/registry.js';
import type { ConditionSpec } from './condition.js';

/** The network part of a training recipe (`model` in a config file). */
export interface NetworkConfig {
  hidden?: number[];
  activation?: string;
  [key: string]: unknown;
}

/** What an objective gets to build its players. */
export interface ObjectiveContext {
  /** Dimension of the data. */
  dim: number;
  /**
   * The shape of one data point when it is more than a vector (`[h, w, c]` for images; its
   * product is `dim`). Maps that need it (convolutions) read it; objectives pass it on.
   */
  eventShape?: readonly number[];
  registry: Registry;
  /** For initialisation only; every step gets its own stream. */
  rng: Rng;
  /** Network options from the recipe. */
  network: NetworkConfig;
  /**
   * The whole training set `[N, dim]`, for data-dependent initialisation; not owned, and kept alive
   * by the caller until the run's `setup` has run (`train` runs it first).
   */
  data: tf.Tensor2D;
  /** Total number of training steps of this run. */
  steps: number;
  /**
   * What the data are conditioned on (absent: unconditional data). An objective that supports
   * conditions builds conditional networks and a model whose `condition` is this spec; the
   * training run is refused when the model's `condition` differs (an objective that ignores it).
   */
  condition?: ConditionSpec;
  /** The condition rows of `data` (`[N]` int32 labels or `[N, m]` context), when `condition` is set; not owned. */
  conditionRows?: tf.Tensor;
}

/** What a player's loss sees at one step. */
export interface StepInput {
  /** A minibatch of training data `[B, dim]`. */
  batch: tf.Tensor2D;
  /** The condition rows of the batch's points (`[B]` int32 labels or `[B, m]`), when the data have a condition. */
  condition?: tf.Tensor;
  /** This step's random stream (a pure function of seed, step and player). */
  rng: Rng;
  step: number;
  totalSteps: number;
}

/** One party of a (possibly min–max) game with its own variables and optimizer settings. */
export interface Player {
  name: string;
  variables: readonly tf.Variable[];
  /** The scalar this player minimises. Called inside `tf.variableGrads`. */
  loss(input: StepInput): tf.Scalar;
  /** Updates of this player per training step (e.g. critic steps per generator step). */
  updatesPerStep?: number;
  /** Overrides of the run's optimizer for this player (e.g. a critic's own learning rate). */
  optimizer?: { lr?: number; beta1?: number; beta2?: number; weightDecay?: number };
}

/** A training recipe instantiated on data: players to update and the model they shape. */
export interface TrainingRun {
  players: Player[];
  model: Model;
  /**
   * Called before each step. Must depend only on `step`, the rng and the current weights,
   * so that resuming from a checkpoint reproduces an uninterrupted run.
   */
  beforeStep?(step: number, rng: Rng): void;
  /**
   * The run's set-up: a pass over the data that sets parameters once before training (a flow's
   * data-dependent initialisation). Building the run does not make it, so a caller can plan the
   * run's memory first (core's `planMemory` counts the pass through the run's `setupPasses`) and
   * refuse it before anything large is allocated; `train` calls it before its first step. It
   * must run at most once whatever the number of calls (a second call does nothing).
   */
  setup?(): void;
  /** JSON + tensor state outside the players' variables, saved in checkpoints. */
  state?(): { json: Record<string, unknown>; tensors: Record<string, tf.Tensor> };
  restore?(state: { json: Record<string, unknown>; tensors: Record<string, tf.Tensor> }): void;
  dispose?(): void;
}

/** What a model file hands back to its objective to rebuild the model. */
export interface ModelParts<O> {
  options: O;
  dim: number;
  maps: Record<string, PushforwardMap | VectorField>;
  extra: Record<string, unknown>;
  registry: Registry;
  /** What the model file says the model is conditioned on (absent: unconditional). */
  condition?: ConditionSpec;
}
