// Gradient clipping by global norm (Pascanu et al. 2013): u ← u · min(1, c / ‖u‖₂), the norm taken
// over every variable at once.
import * as tf from '@tensorflow/tfjs-core';
import type { GradientTransformation } from './gradient-transformation.js';
import { resolveHostUpdates } from './resolve-host-updates.js';
import { resolveUpdates } from './resolve-updates.js';

const f32 = Math.fround;

/**
 * Scales the updates so that their global norm is at most `maxNorm` (> 0). The host path sums the
 * squares in float64 and the tensor path in float32, so clipped updates of the two paths may differ
 * in the last bit; unclipped ones are identical.
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation {
  if (!(maxNorm > 0 && Number.isFinite(maxNorm))) {
    throw new RangeError(`clipByGlobalNorm: "maxNorm" must be a finite number > 0, got ${maxNorm}`);
  }
  return {
    slots: [],
    init: () => ({}),
    update(updates, state) {
      const g = resolveUpdates(updates);
      const norm = tf.sqrt(tf.addN(g.map((x) => tf.sum(tf.square(x)))));
      const factor = tf.minimum(tf.scalar(1), tf.div(maxNorm, tf.maximum(norm, 1e-12)));
      return [[{ values: g.map((x) => tf.mul(x, factor)), scale: 1 }], state];
    },
    host: {
      init: () => ({}),
      update(updates) {
        const g = resolveHostUpdates(updates);
        let sum = 0;
        for (const a of g) for (let j = 0; j < a.length; j++) sum += a[j]! * a[j]!;
        const clip = Math.min(1, maxNorm / Math.max(Math.sqrt(sum), 1e-12));
        if (clip === 1) return [{ values: g, scale: 1 }];
        const factor = f32(clip);
        return [{ values: g.map((a) => a.map((x) => f32(x * factor))), scale: 1 }];
      },
    },
  };
}
