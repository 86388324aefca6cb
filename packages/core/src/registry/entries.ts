import type { z } from 'zod';
import type { Discrepancy } from '../contracts/discrepancy.js';
import type { Kernel, TestFunctionFamily } from '../contracts/test-functions.js';
import type { Solver, StepSizeController } from '../contracts/integrator.js';
import type { Measure } from '../contracts/measure.js';
import type { PushforwardMap, VectorField } from '../contracts/map.js';
import type { Model } from '../contracts/model.js';
import type { ModelParts, ObjectiveContext, TrainingRun } from '../contracts/objective.js';
import type { Rng } from '../rng/rng.js';
import type { Registry } from './registry.js';
import type { GradientTransformation } from '../optim/gradient-transformation.js';
import type { Coupling } from '../contracts/coupling.js';
import type { Interpolant } from '../contracts/interpolant.js';
import type { RecipeDataInfo, RecipeDefaults } from '../train/recipe-defaults.js';

/** A tfjs backend that `useBackend` can select. */
export interface BackendProvider {
  /** tfjs backend name (`wasm`, `cpu`, …). */
  readonly name: string;
  /** Registers (if needed) and initialises the backend; resolves when it is active. */
  init(): Promise<void>;
}

/** What every registry entry has: a kebab-case id, a description and an options schema. */
export interface EntryBase<K extends string, O> {
  kind: K;
  id: string;
  description: string;
  /** Options schema with defaults; a config's options are parsed by it before `create`. */
  schema: z.ZodType<O>;
}

export interface ObjectiveEntry<O = any> extends EntryBase<'objective', O> {
  create(options: O, context: ObjectiveContext): TrainingRun;
  /** Rebuilds a trained model from its file. */
  load(parts: ModelParts<O>): Model;
  /**
   * Recipe fields this objective suggests for data of this kind (e.g. images: batch size, optimizer,
   * EMA), applied under the recipe the user wrote by `parseRecipe` when it is told the data
   * (`withRecipeDefaults` says how they merge). Absent or `undefined`: the recipe schema's defaults.
   */
  recipeDefaults?(data: RecipeDataInfo): RecipeDefaults | undefined;
  /**
   * Why this objective cannot train on data of this kind (e.g. "coupling layers need dim ≥ 2"),
   * or `undefined` when it can. Lets a caller leave such pairs out before building anything (the
   * bench's matrix reports them as skipped); `create` still refuses them with the same reason.
   * Absent: every kind of data is accepted here.
   */
  unsupported?(data: RecipeDataInfo): string | undefined;
}
export interface DiscrepancyEntry<O = any> extends EntryBase<'discrepancy', O> {
  create(options: O, context: { registry: Registry }): Discrepancy;
}
export interface KernelEntry<O = any> extends EntryBase<'kernel', O> {
  create(options: O): Kernel;
}
export interface TestFunctionsEntry<O = any> extends EntryBase<'test-functions', O> {
  create(options: O, context: { dim: number; rng: Rng }): TestFunctionFamily;
}
export interface IntegratorEntry<O = any> extends EntryBase<'integrator', O> {
  create(options: O): Solver;
}
/** A step-size controller of adaptive solves (`pi`, `integral`). */
export interface ControllerEntry<O = any> extends EntryBase<'controller', O> {
  create(options: O): StepSizeController;
}
export interface MapEntry<O = any> extends EntryBase<'map', O> {
  /**
   * Options carry the dimensions, so a model file alone rebuilds the map. The registry lets a
   * composite map (a chain of bijectors, say) build parts registered by other plugins.
   */
  create(options: O, context: { rng: Rng; registry?: Registry }): PushforwardMap | VectorField;
}
export interface DatasetEntry<O = any> extends EntryBase<'dataset', O> {
  create(options: O): Measure;
}
export interface BackendEntry<O = any> extends EntryBase<'backend', O> {
  create(options: O): BackendProvider;
}
/** An optimizer: `create` builds its gradient transformation (a `chain` of transforms, say). */
export interface OptimizerEntry<O = any> extends EntryBase<'optimizer', O> {
  create(options: O): GradientTransformation;
}
/** A pairing of noise and data minibatches for conditional paths (independent, exact OT, …). */
export interface CouplingEntry<O = any> extends EntryBase<'coupling', O> {
  create(options: O): Coupling;
}
/** A conditional path x_t between noise and data with its velocity (linear, stochastic interpolant, …). */
export interface PathEntry<O = any> extends EntryBase<'path', O> {
  create(options: O): Interpolant;
}

/** Every kind of registry entry, by kind name, with options of type `O`. */
export interface EntryKindsOf<O> {
  objective: ObjectiveEntry<O>;
  discrepancy: DiscrepancyEntry<O>;
  kernel: KernelEntry<O>;
  'test-functions': TestFunctionsEntry<O>;
  integrator: IntegratorEntry<O>;
  controller: ControllerEntry<O>;
  map: MapEntry<O>;
  dataset: DatasetEntry<O>;
  backend: BackendEntry<O>;
  optimizer: OptimizerEntry<O>;
  coupling: CouplingEntry<O>;
  path: PathEntry<O>;
}

/** Every kind of registry entry, by kind name. */
export type EntryKinds = EntryKindsOf<any>;

export type EntryKind = keyof EntryKinds;
export type AnyEntry = EntryKinds[EntryKind];

export const ENTRY_KINDS: readonly EntryKind[] = [
  'objective',
  'discrepancy',
  'kernel',
  'test-functions',
  'integrator',
  'controller',
  'map',
  'dataset',
  'backend',
  'optimizer',
  'coupling',
  'path',
];
