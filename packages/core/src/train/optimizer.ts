// Optimizers with explicit state (optax's init/update shape), so checkpoints restore them exactly.
//   sgd:   m ← μ m + g;  θ ← θ − η m
//   adam:  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − η m̂ / (√v̂ + ε)   (Kingma & Ba 2015)
//   adamw: adam, plus decoupled weight decay θ ← θ − η λ θ   (Loshchilov & Hutter 2019)
// Gradient clipping by global norm: g ← g · min(1, c / ‖g‖₂) (Pascanu et al. 2013).
// On the cpu backend, and on wasm for small networks, the update runs as one host loop per
// variable instead of some 16 tfjs kernels per variable. The loop rounds every operation to
// float32 in the same order as the tensor path, so both give the same bits (IEEE float32 +, −, ×,
// ÷ and √ are correctly rounded on both backends).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { learningRateAt, scheduleSchema } from './schedule.js';

export const optimizerSchema = z
  .object({
    name: z.enum(['adam', 'adamw', 'sgd']).default('adam'),
    lr: z.number().positive().default(1e-3),
    beta1: z.number().min(0).max(1).default(0.9),
    beta2: z.number().min(0).max(1).default(0.999),
    epsilon: z.number().positive().default(1e-8),
    /** Decoupled weight decay λ (adamw); L2-free for adam and sgd. */
    weightDecay: z.number().min(0).default(0),
    momentum: z.number().min(0).max(1).default(0),
    /** Clip the global gradient norm to this value (0 = no clipping). */
    clipNorm: z.number().min(0).default(0),
    schedule: scheduleSchema.default({ name: 'constant', warmupSteps: 0, minFactor: 0 }),
  })
  .strict();

export type OptimizerConfig = z.output<typeof optimizerSchema>;
export type OptimizerOptions = z.input<typeof optimizerSchema>;

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

/**
 * Creates an optimizer for `variables`. `path` (default: {@link defaultOptimizerPath}) chooses
 * host loops or tfjs kernels; both give the same values.
 */
export function createOptimizer(options: OptimizerOptions, variables: readonly tf.Variable[], path: OptimizerPath = defaultOptimizerPath(variables)): Optimizer {
  const config = optimizerSchema.parse(options);
  if (path === 'host') return createHostOptimizer(config, variables);
  const zerosLike = () => tf.tidy(() => variables.map((v) => tf.variable(tf.zerosLike(v), false)));
  const m = config.name === 'sgd' && config.momentum === 0 ? [] : zerosLike();
  const s = config.name === 'sgd' ? [] : zerosLike();
  const slotNames = { m, v: s };

  return {
    config,
    apply(grads, step, totalSteps, lrScale = 1) {
      if (grads.length !== variables.length) {
        throw new RangeError(`optimizer: ${grads.length} gradients for ${variables.length} variables`);
      }
      const lr = learningRateAt(config.lr, config.schedule, step, totalSteps) * lrScale;
      tf.tidy(() => {
        let g: tf.Tensor[] = [...grads];
        if (config.clipNorm > 0) {
          const norm = tf.sqrt(tf.addN(g.map((x) => tf.sum(tf.square(x)))));
          const factor = tf.minimum(tf.scalar(1), tf.div(config.clipNorm, tf.maximum(norm, 1e-12)));
          g = g.map((x) => tf.mul(x, factor));
        }
        if (config.name === 'sgd') {
          variables.forEach((v, i) => {
            let update = g[i]!;
            if (m.length > 0) {
              const mi = m[i]!;
              mi.assign(tf.add(tf.mul(mi, config.momentum), update));
              update = mi;
            }
            v.assign(tf.sub(v, tf.mul(update, lr)));
          });
          return;
        }
        const t = step + 1;
        const c1 = 1 - Math.pow(config.beta1, t);
        const c2 = 1 - Math.pow(config.beta2, t);
        variables.forEach((v, i) => {
          const mi = m[i]!;
          const si = s[i]!;
          const gi = g[i]!;
          mi.assign(tf.add(tf.mul(mi, config.beta1), tf.mul(gi, 1 - config.beta1)));
          si.assign(tf.add(tf.mul(si, config.beta2), tf.mul(tf.square(gi), 1 - config.beta2)));
          const update = tf.div(tf.div(mi, c1), tf.add(tf.sqrt(tf.div(si, c2)), config.epsilon));
          let next = tf.sub(v, tf.mul(update, lr));
          if (config.name === 'adamw' && config.weightDecay > 0) {
            next = tf.sub(next, tf.mul(v, lr * config.weightDecay));
          }
          v.assign(next);
        });
      });
    },
    state() {
      const slots: Record<string, tf.Tensor[]> = {};
      for (const [name, vars] of Object.entries(slotNames)) if (vars.length > 0) slots[name] = vars.map((x) => tf.clone(x));
      return { slots };
    },
    restore(state) {
      for (const [name, vars] of Object.entries(slotNames)) {
        if (vars.length === 0) continue;
        checkedSlot(state, name, vars.map((v) => v.shape)).forEach((t, i) => vars[i]!.assign(t));
      }
    },
    dispose() {
      for (const v of [...m, ...s]) v.dispose();
    },
  };
}

const f32 = Math.fround;

/** Scale of the gradients so that their global norm is at most `clipNorm` (1 when clipping is off). */
function clipFactor(config: OptimizerConfig, grads: readonly Float32Array[]): number {
  if (config.clipNorm <= 0) return 1;
  let sum = 0;
  for (const g of grads) for (let j = 0; j < g.length; j++) sum += g[j]! * g[j]!;
  return Math.min(1, config.clipNorm / Math.max(Math.sqrt(sum), 1e-12));
}

/**
 * The optimizer as host loops over each variable's values: reads the gradient and the variable,
 * updates the slots (kept as host arrays) in place and assigns the new values. Every operation is
 * rounded to float32 as the tensor path's kernels round it; the clipping factor is computed in
 * float64 (the tensor path sums in float32, so clipped updates may differ in the last bit).
 */
function createHostOptimizer(config: OptimizerConfig, variables: readonly tf.Variable[]): Optimizer {
  const zeros = () => variables.map((v) => new Float32Array(v.size));
  const m = config.name === 'sgd' && config.momentum === 0 ? [] : zeros();
  const s = config.name === 'sgd' ? [] : zeros();
  const slotNames: Record<string, Float32Array[]> = { m, v: s };
  const beta1 = f32(config.beta1);
  const beta2 = f32(config.beta2);
  const oneMinusBeta1 = f32(1 - config.beta1);
  const oneMinusBeta2 = f32(1 - config.beta2);
  const epsilon = f32(config.epsilon);
  const momentum = f32(config.momentum);

  return {
    config,
    apply(grads, step, totalSteps, lrScale = 1) {
      if (grads.length !== variables.length) {
        throw new RangeError(`optimizer: ${grads.length} gradients for ${variables.length} variables`);
      }
      const lrValue = learningRateAt(config.lr, config.schedule, step, totalSteps) * lrScale;
      const lr = f32(lrValue);
      const decay = config.name === 'adamw' && config.weightDecay > 0 ? f32(lrValue * config.weightDecay) : 0;
      const g = grads.map((x) => x.dataSync() as Float32Array);
      const clip = clipFactor(config, g);
      const factor = f32(clip);
      const t = step + 1;
      const c1 = f32(1 - Math.pow(config.beta1, t));
      const c2 = f32(1 - Math.pow(config.beta2, t));
      variables.forEach((variable, i) => {
        const gi = g[i]!;
        const w = variable.dataSync() as Float32Array;
        const next = new Float32Array(w.length);
        if (config.name === 'sgd') {
          const mi = m[i];
          for (let j = 0; j < w.length; j++) {
            let u = clip === 1 ? gi[j]! : f32(gi[j]! * factor);
            if (mi) u = mi[j] = f32(f32(mi[j]! * momentum) + u);
            next[j] = f32(w[j]! - f32(u * lr));
          }
        } else {
          const mi = m[i]!;
          const si = s[i]!;
          for (let j = 0; j < w.length; j++) {
            const gj = clip === 1 ? gi[j]! : f32(gi[j]! * factor);
            const mj = (mi[j] = f32(f32(mi[j]! * beta1) + f32(gj * oneMinusBeta1)));
            const sj = (si[j] = f32(f32(si[j]! * beta2) + f32(f32(gj * gj) * oneMinusBeta2)));
            const update = f32(f32(mj / c1) / f32(f32(Math.sqrt(f32(sj / c2))) + epsilon));
            let value = f32(w[j]! - f32(update * lr));
            if (decay !== 0) value = f32(value - f32(w[j]! * decay));
            next[j] = value;
          }
        }
        const fresh = tf.tensor(next, variable.shape, 'float32');
        variable.assign(fresh);
        fresh.dispose();
      });
    },
    state() {
      const slots: Record<string, tf.Tensor[]> = {};
      for (const [name, arrays] of Object.entries(slotNames)) {
        if (arrays.length > 0) slots[name] = arrays.map((a, i) => tf.tensor(a.slice(), variables[i]!.shape, 'float32'));
      }
      return { slots };
    },
    restore(state) {
      for (const [name, arrays] of Object.entries(slotNames)) {
        if (arrays.length === 0) continue;
        checkedSlot(state, name, variables.map((v) => v.shape)).forEach((t, i) => arrays[i]!.set(t.dataSync()));
      }
    },
    dispose() {
      for (const arrays of Object.values(slotNames)) arrays.length = 0;
    },
  };
}
