// The optimizer a player trains with: a gradient transformation (../optim, optax's shape) and its
// state, behind the apply / state / restore / dispose interface the trainer calls.
//   sgd:   m ← μ m + g;  θ ← θ − η m
//   adam:  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − η m̂ / (√v̂ + ε)   (Kingma & Ba 2015)
//   adamw: adam, plus decoupled weight decay θ ← θ − η λ θ   (Loshchilov & Hutter 2019)
// Gradient clipping by global norm: g ← g · min(1, c / ‖g‖₂) (Pascanu et al. 2013).
// On the cpu backend, and on wasm for small networks, a transformation with a host path runs as
// loops over each variable's values instead of some 16 tfjs kernels per variable. The loops round
// every operation to float32 in the same order as the tensor path, so both give the same bits
// (IEEE float32 +, −, ×, ÷ and √ are correctly rounded on both backends).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { OptimizerEntry } from '../registry/entries.js';
import { OptionsError, RegistryError, formatIssues, type Registry } from '../registry/registry.js';
import type { GradientTransformation, OptimizerSlots, UpdateContext } from '../optim/gradient-transformation.js';
import { optimizerEntries } from '../optim/optimizer-entries.js';
import { presetOptionsSchema } from '../optim/preset-options-schema.js';

/** Today's form `{ name: 'adam' | 'adamw' | 'sgd', lr, … }` (all fields optional). */
export const presetOptimizerSchema = presetOptionsSchema.extend({ name: z.enum(['adam', 'adamw', 'sgd']).default('adam') }).strict();

/**
 * A registry optimizer by id: `{ id: 'lion', options: { … } }`. `entry` is the resolved registry
 * entry ({@link withOptimizerEntry} fills it in); without it only the built-in ids resolve.
 */
export const optimizerReferenceSchema = z
  .object({
    id: z.string().min(1),
    options: z.record(z.string(), z.unknown()).default({}),
    entry: z
      .custom<OptimizerEntry>((v) => typeof v === 'object' && v !== null && (v as OptimizerEntry).kind === 'optimizer' && typeof (v as OptimizerEntry).create === 'function', {
        message: 'expected a registry optimizer entry (set by withOptimizerEntry; not part of a JSON config)',
      })
      .optional(),
  })
  .strict();

/** A player's overrides of the run's optimizer (`Player.optimizer`), which a reference passes on to its entry's options. */
export interface PlayerOverrides {
  lr?: number;
  beta1?: number;
  beta2?: number;
  weightDecay?: number;
}

export type PresetOptimizerConfig = z.output<typeof presetOptimizerSchema>;
/** A parsed reference; it has none of the preset fields (reading `lr` on any config type-checks). */
export type OptimizerReference = z.output<typeof optimizerReferenceSchema> & { [K in keyof PresetOptimizerConfig]?: undefined };
export type OptimizerConfig = PresetOptimizerConfig | OptimizerReference;
export type OptimizerOptions = z.input<typeof presetOptimizerSchema> | (z.input<typeof optimizerReferenceSchema> & PlayerOverrides);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Whether `v` is written in the reference form (it has an `id`). */
const isReference = (v: unknown): v is z.input<typeof optimizerReferenceSchema> & Record<string, unknown> => isRecord(v) && 'id' in v;

/**
 * Optimizer options: today's `{ name, lr, … }` or a registry reference `{ id, options }` (chosen by
 * the presence of `id`); each form reports errors by field (`optimizer.name`, `optimizer.options`).
 */
export const optimizerSchema = z.custom<OptimizerOptions>().transform((value, ctx): OptimizerConfig => {
  const schema = isReference(value) ? optimizerReferenceSchema : presetOptimizerSchema;
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data as OptimizerConfig;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path } as never);
  return z.NEVER;
});

/** Serialisable optimizer state: slot tensors per variable, in variable order. */
export interface OptimizerState {
  slots: Record<string, tf.Tensor[]>;
}

export interface Optimizer {
  readonly config: OptimizerConfig;
  /**
   * Applies one update from `grads` (aligned with the variables) at 0-based `step` of `totalSteps`;
   * the scheduled learning rate is multiplied by `lrScale` (default 1; lowered by rollbacks).
   */
  apply(grads: readonly tf.Tensor[], step: number, totalSteps: number, lrScale?: number): void;
  state(): OptimizerState;
  restore(state: OptimizerState): void;
  dispose(): void;
}

/** The saved tensors of slot `name`, checked against the variables' shapes before any is used. */
function checkedSlot(state: OptimizerState, name: string, shapes: readonly number[][]): tf.Tensor[] {
  const saved = state.slots[name];
  if (!saved || saved.length !== shapes.length) {
    throw new RangeError(`optimizer state: slot "${name}" has ${saved?.length ?? 0} tensors, expected ${shapes.length}`);
  }
  saved.forEach((t, i) => {
    if (t.shape.join(',') !== shapes[i]!.join(',')) {
      throw new RangeError(`optimizer state: slot "${name}"[${i}] has shape [${t.shape}], expected [${shapes[i]}]`);
    }
  });
  return saved;
}

/** Where the update runs: `host` loops on the values (cpu, wasm), `tensor` tfjs kernels (any backend). */
export type OptimizerPath = 'host' | 'tensor';

/**
 * Parameters up to which the host loop beats the wasm kernels: the loop costs about 12 ns per
 * value, the kernels about 5 µs per call (16 calls per variable) plus SIMD passes over the values.
 */
export const HOST_OPTIMIZER_MAX_PARAMETERS_WASM = 32_768;

/**
 * The default path on the active backend: host on cpu (its kernels are host loops too, one pass
 * instead of 16), host on wasm for networks of at most {@link HOST_OPTIMIZER_MAX_PARAMETERS_WASM}
 * parameters, tensor otherwise (and on every other backend, where values live on a device).
 */
export function defaultOptimizerPath(variables: readonly tf.Variable[]): OptimizerPath {
  if (!variables.every((v) => v.dtype === 'float32')) return 'tensor';
  const backend = tf.getBackend();
  if (backend === 'cpu') return 'host';
  const parameters = variables.reduce((sum, v) => sum + v.size, 0);
  return backend === 'wasm' && parameters <= HOST_OPTIMIZER_MAX_PARAMETERS_WASM ? 'host' : 'tensor';
}

/** The registry entry of optimizer `id`: the registry's, else a built-in (`adam`, `adamw`, `sgd`); unknown ids list the known ones. */
export function optimizerEntry(id: string, registry?: Registry): OptimizerEntry {
  if (registry?.has('optimizer', id)) return registry.get('optimizer', id);
  const builtin = optimizerEntries.find((e) => e.id === id);
  if (builtin) return builtin;
  const known = [...new Set([...(registry?.ids('optimizer') ?? []), ...optimizerEntries.map((e) => e.id)])].sort();
  throw new RegistryError(`unknown optimizer "${id}"; known optimizer ids: ${known.join(', ')}${registry ? '' : ' (register a plugin\'s optimizer in a registry and pass it through withOptimizerEntry)'}`);
}

/**
 * `options` with a reference's registry entry filled in, so that the trainer (which has no
 * registry) builds a plugin's optimizer; preset forms are returned as they are. The reference's
 * options are checked by the entry's schema (errors name `where.options.<field>`).
 */
export function withOptimizerEntry(options: OptimizerOptions | undefined, registry: Registry, where = 'optimizer'): OptimizerOptions | undefined {
  if (!isReference(options)) return options;
  const entry = optimizerEntry(String(options.id), registry);
  parseEntryOptions(entry, options.options ?? {}, `${where}.options`);
  return { ...options, entry };
}

function parseEntryOptions(entry: OptimizerEntry, options: unknown, where: string): unknown {
  const result = entry.schema.safeParse(options);
  if (!result.success) throw new OptionsError(`bad options for optimizer "${entry.id}": ${formatIssues(result.error, where)}`);
  return result.data;
}

/** Keys a player may override on the run's optimizer (see `Player.optimizer`). */
const PLAYER_OVERRIDES = ['lr', 'beta1', 'beta2', 'weightDecay'] as const;

/**
 * The gradient transformation that `options` describes. A reference's top-level `lr`, `beta1`,
 * `beta2` or `weightDecay` (a player's overrides, spread over the run's optimizer) go into its
 * options, where the entry's schema accepts or rejects them.
 */
export function optimizerTransform(options: OptimizerOptions): { config: OptimizerConfig; transform: GradientTransformation } {
  let input: unknown = options;
  if (isReference(options)) {
    const merged: Record<string, unknown> = { ...(isRecord(options.options) ? options.options : {}) };
    const rest: Record<string, unknown> = { ...options };
    for (const key of PLAYER_OVERRIDES) {
      if (key in rest) {
        merged[key] = rest[key];
        delete rest[key];
      }
    }
    input = { ...rest, options: merged };
  }
  const parsed = optimizerSchema.safeParse(input);
  if (!parsed.success) throw new OptionsError(`bad optimizer options: ${formatIssues(parsed.error, 'optimizer')}`);
  const config = parsed.data;
  if ('id' in config) {
    const entry = config.entry ?? optimizerEntry(config.id);
    const transform = entry.create(parseEntryOptions(entry, config.options, 'optimizer.options'));
    return { config, transform };
  }
  const entry = optimizerEntries.find((e) => e.id === config.name)!;
  const { name: _name, ...presetOptions } = config;
  return { config, transform: entry.create(presetOptions) };
}

/**
 * Creates an optimizer for `variables`. `path` (default: {@link defaultOptimizerPath}) chooses
 * host loops or tfjs kernels; both give the same values. A transformation without a host path
 * always runs on tfjs kernels.
 */
export function createOptimizer(options: OptimizerOptions, variables: readonly tf.Variable[], path?: OptimizerPath): Optimizer {
  const { config, transform } = optimizerTransform(options);
  const chosen = path ?? defaultOptimizerPath(variables);
  if (chosen === 'host' && transform.host) return createHostOptimizer(config, transform, variables);
  if (chosen === 'host' && path === 'host') {
    throw new RangeError(`optimizer: path "host" was asked for, but this optimizer has no host path (expected "tensor" or no path)`);
  }
  const slots: OptimizerSlots<tf.Variable> = tf.tidy(() => {
    const init = transform.init(variables);
    return Object.fromEntries(transform.slots.map((name) => [name, init[name]!.map((t) => tf.variable(t, false))]));
  });

  return {
    config,
    apply(grads, step, totalSteps, lrScale = 1) {
      checkGradients(grads, variables);
      const context: UpdateContext = { step, totalSteps, lrScale };
      tf.tidy(() => {
        const [updates, next] = transform.update([{ values: grads, scale: 1 }], slots, variables, context);
        for (const name of transform.slots) slots[name]!.forEach((s, i) => s.assign(next[name]![i]!));
        variables.forEach((v, i) => {
          let value: tf.Tensor = v;
          for (const term of updates) {
            const a = term.values[i]!;
            value = tf.add(value, term.scale === 1 ? a : tf.mul(a, term.scale));
          }
          v.assign(value);
        });
      });
    },
    state() {
      return { slots: Object.fromEntries(transform.slots.map((name) => [name, slots[name]!.map((x) => tf.clone(x))])) };
    },
    restore(state) {
      for (const name of transform.slots) {
        const vars = slots[name]!;
        checkedSlot(state, name, vars.map((v) => v.shape)).forEach((t, i) => vars[i]!.assign(t));
      }
    },
    dispose() {
      for (const vars of Object.values(slots)) for (const v of vars) v.dispose();
    },
  };
}

function checkGradients(grads: readonly tf.Tensor[], variables: readonly tf.Variable[]): void {
  if (grads.length !== variables.length) {
    throw new RangeError(`optimizer: ${grads.length} gradients for ${variables.length} variables`);
  }
}

const f32 = Math.fround;

/**
 * The optimizer on host arrays: reads the gradients and the variables, lets the transformation's
 * host path update its slots (host arrays) in place, applies the update terms in order and assigns
 * the new values. Each term rounds as the tensor path's kernels do: θ ← fl(θ + fl(a · fl(s))).
 */
function createHostOptimizer(config: OptimizerConfig, transform: GradientTransformation, variables: readonly tf.Variable[]): Optimizer {
  const host = transform.host!;
  const slots = host.init(variables.map((v) => v.shape));

  return {
    config,
    apply(grads, step, totalSteps, lrScale = 1) {
      checkGradients(grads, variables);
      const g = grads.map((x) => x.dataSync() as Float32Array);
      const w = variables.map((v) => v.dataSync() as Float32Array);
      const updates = host.update([{ values: g, scale: 1 }], slots, w, { step, totalSteps, lrScale });
      variables.forEach((variable, i) => {
        const wi = w[i]!;
        const next = new Float32Array(wi.length);
        updates.forEach((term, k) => {
          const from = k === 0 ? wi : next;
          const a = term.values[i]!;
          if (term.scale === 1) {
            for (let j = 0; j < next.length; j++) next[j] = f32(from[j]! + a[j]!);
          } else {
            const s = f32(term.scale);
            for (let j = 0; j < next.length; j++) next[j] = f32(from[j]! + f32(a[j]! * s));
          }
        });
        if (updates.length === 0) next.set(wi);
        const fresh = tf.tensor(next, variable.shape, 'float32');
        variable.assign(fresh);
        fresh.dispose();
      });
    },
    state() {
      return { slots: Object.fromEntries(transform.slots.map((name) => [name, slots[name]!.map((a, i) => tf.tensor(a.slice(), variables[i]!.shape, 'float32'))])) };
    },
    restore(state) {
      for (const name of transform.slots) {
        checkedSlot(state, name, variables.map((v) => v.shape)).forEach((t, i) => slots[name]![i]!.set(t.dataSync()));
      }
    },
    dispose() {
      for (const arrays of Object.values(slots)) arrays.length = 0;
    },
  };
}
