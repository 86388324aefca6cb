// Adam's rescaling (Kingma & Ba 2015, Algorithm 1), at step t = step + 1:
//   m ← β₁m + (1−β₁)u;  v ← β₂v + (1−β₂)u²;  u ← (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
// The step comes from the update context, not from a counter slot, so the slots are `m` and `v` only.
import * as tf from '@tensorflow/tfjs-core';
import type { GradientTransformation } from './gradient-transformation.js';
import { resolveHostUpdates } from './resolve-host-updates.js';
import { resolveUpdates } from './resolve-updates.js';

/** Options of {@link scaleByAdam}. */
export interface ScaleByAdamOptions {
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the second moment (default 0.999). */
  beta2?: number;
  /** Added to √v̂ (default 1e-8). */
  epsilon?: number;
}

const f32 = Math.fround;

/** Adam's bias-corrected moment rescaling; slots `m` (first moment) and `v` (second moment). */
export function scaleByAdam(options: ScaleByAdamOptions = {}): GradientTransformation {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const epsilon = options.epsilon ?? 1e-8;
  for (const [name, value] of [['beta1', beta1], ['beta2', beta2]] as const) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`scaleByAdam: "${name}" must be in [0, 1], got ${value}`);
  }
  if (!(epsilon > 0)) throw new RangeError(`scaleByAdam: "epsilon" must be > 0, got ${epsilon}`);
  const corrections = (step: number) => [1 - Math.pow(beta1, step + 1), 1 - Math.pow(beta2, step + 1)] as const;
  const hostBeta1 = f32(beta1);
  const hostBeta2 = f32(beta2);
  const oneMinusBeta1 = f32(1 - beta1);
  const oneMinusBeta2 = f32(1 - beta2);
  const hostEpsilon = f32(epsilon);
  return {
    slots: ['m', 'v'],
    init: (params) => ({ m: params.map((p) => tf.zerosLike(p)), v: params.map((p) => tf.zerosLike(p)) }),
    update(updates, state, _params, { step }) {
      const g = resolveUpdates(updates);
      const [c1, c2] = corrections(step);
      const m = state.m!.map((mi, i) => tf.add(tf.mul(mi, beta1), tf.mul(g[i]!, 1 - beta1)));
      const v = state.v!.map((vi, i) => tf.add(tf.mul(vi, beta2), tf.mul(tf.square(g[i]!), 1 - beta2)));
      const values = m.map((mi, i) => tf.div(tf.div(mi, c1), tf.add(tf.sqrt(tf.div(v[i]!, c2)), epsilon)));
      return [[{ values, scale: 1 }], { m, v }];
    },
    host: {
      init: (shapes) => ({
        m: shapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1))),
        v: shapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1))),
      }),
      update(updates, state, _params, { step }) {
        const g = resolveHostUpdates(updates);
        const [c1d, c2d] = corrections(step);
        const c1 = f32(c1d);
        const c2 = f32(c2d);
        const values = g.map((gi, i) => {
          const mi = state.m![i]!;
          const vi = state.v![i]!;
          const out = new Float32Array(gi.length);
          for (let j = 0; j < gi.length; j++) {
            const gj = gi[j]!;
            const mj = (mi[j] = f32(f32(mi[j]! * hostBeta1) + f32(gj * oneMinusBeta1)));
            const vj = (vi[j] = f32(f32(vi[j]! * hostBeta2) + f32(f32(gj * gj) * oneMinusBeta2)));
            out[j] = f32(f32(mj / c1) / f32(f32(Math.sqrt(f32(vj / c2))) + hostEpsilon));
          }
          return out;
        });
        return [{ values, scale: 1 }];
      },
    },
  };
}
