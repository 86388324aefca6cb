// Momentum as a trace of past updates (Polyak 1964; optax's `trace`): m ← μ m + u;  u ← m.
import * as tf from '@tensorflow/tfjs-core';
import type { GradientTransformation } from './gradient-transformation.js';
import { resolveHostUpdates } from './resolve-host-updates.js';
import { resolveUpdates } from './resolve-updates.js';

const f32 = Math.fround;

/** Heavy-ball momentum with decay `decay` ∈ [0, 1]; slot `m`. */
export function trace(decay: number): GradientTransformation {
  if (!(decay >= 0 && decay <= 1)) throw new RangeError(`trace: "decay" must be in [0, 1], got ${decay}`);
  const hostDecay = f32(decay);
  return {
    slots: ['m'],
    init: (params) => ({ m: params.map((p) => tf.zerosLike(p)) }),
    update(updates, state) {
      const g = resolveUpdates(updates);
      const m = state.m!.map((mi, i) => tf.add(tf.mul(mi, decay), g[i]!));
      return [[{ values: m, scale: 1 }], { m }];
    },
    host: {
      init: (shapes) => ({ m: shapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1))) }),
      update(updates, state) {
        const g = resolveHostUpdates(updates);
        g.forEach((gi, i) => {
          const mi = state.m![i]!;
          for (let j = 0; j < gi.length; j++) mi[j] = f32(f32(mi[j]! * hostDecay) + gi[j]!);
        });
        return [{ values: state.m!, scale: 1 }];
      },
    },
  };
}
