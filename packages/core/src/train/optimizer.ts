// Optimizers with explicit state (optax's init/update shape), so checkpoints restore them exactly.
//   sgd:   m ← μ m + g;  θ ← θ − η m
//   adam:  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − η m̂ / (√v̂ + ε)   (Kingma & Ba 2015)
//   adamw: adam, plus decoupled weight decay θ ← θ − η λ θ   (Loshchilov & Hutter 2019)
// Gradient clipping by global norm: g ← g · min(1, c / ‖g‖₂) (Pascanu et al. 2013).
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

/** Creates an optimizer for `variables`; its slots are tf.Variables it owns. */
export function createOptimizer(options: OptimizerOptions, variables: readonly tf.Variable[]): Optimizer {
  const config = optimizerSchema.parse(options);
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
        const saved = state.slots[name];
        if (!saved || saved.length !== vars.length) {
          throw new RangeError(`optimizer state: slot "${name}" has ${saved?.length ?? 0} tensors, expected ${vars.length}`);
        }
        vars.forEach((v, i) => {
          const t = saved[i]!;
          if (t.shape.join(',') !== v.shape.join(',')) {
            throw new RangeError(`optimizer state: slot "${name}"[${i}] has shape [${t.shape}], expected [${v.shape}]`);
          }
          v.assign(t);
        });
      }
    },
    dispose() {
      for (const v of [...m, ...s]) v.dispose();
    },
  };
}
