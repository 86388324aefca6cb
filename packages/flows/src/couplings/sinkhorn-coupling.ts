// The minibatch entropic OT coupling (Tong et al. 2024, §3.3; Cuturi 2013): the plan
//   π = argmin ⟨π, C⟩ − ε H(π) over couplings of the two uniform minibatch measures,
// with C_ij = ‖x0_i − x1_j‖², is computed by Sinkhorn (@pfm/ipm), and B pairs (i, j) are drawn
// from π with replacement (torchcfm's OT plan sampler). ε → 0 recovers exact OT, ε → ∞ the
// independent coupling.
import * as tf from '@tensorflow/tfjs-core';
import { sinkhorn } from '@pfm/ipm';
import type { Coupling } from './coupling.js';
import { sinkhornCouplingSchema, type SinkhornCouplingOptions } from './coupling-schema.js';

/** Draws minibatch pairs from the entropic OT plan. */
export function sinkhornCoupling(options: SinkhornCouplingOptions = {}): Coupling {
  const { epsilon, maxIterations } = sinkhornCouplingSchema.parse(options);
  return {
    name: 'sinkhorn',
    pair(x0, x1, rng) {
      const n = x0.shape[0];
      const m = x1.shape[0];
      const maxSq = tf.tidy(() => {
        const sq = tf.add(tf.sub(tf.sum(tf.square(x0), 1, true), tf.mul(tf.matMul(x0, x1, false, true), 2)), tf.transpose(tf.sum(tf.square(x1), 1, true)));
        return tf.max(sq).dataSync()[0]!;
      });
      // @pfm/ipm's cost is ‖x − y‖²/2 with ε = blur², so exp(−C/ε_ipm) = exp(−‖x − y‖²/(ε maxSq)) needs blur² = ε maxSq / 2.
      const blur = Math.sqrt(Math.max(epsilon * maxSq, 1e-12) / 2);
      const { plan } = sinkhorn(x0, x1, { blur, plan: true, maxIterations });
      const cumulative = new Float64Array(n * m);
      let total = 0;
      for (let k = 0; k < n * m; k++) cumulative[k] = total += Math.max(0, plan![k]!);
      const rows = new Int32Array(n);
      const cols = new Int32Array(n);
      for (let s = 0; s < n; s++) {
        const u = rng.next() * total;
        let lo = 0;
        let hi = n * m - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid]! > u) hi = mid;
          else lo = mid + 1;
        }
        rows[s] = Math.floor(lo / m);
        cols[s] = lo % m;
      }
      return tf.tidy(() => ({
        x0: tf.gather(x0, tf.tensor1d(rows, 'int32')) as tf.Tensor2D,
        x1: tf.gather(x1, tf.tensor1d(cols, 'int32')) as tf.Tensor2D,
      }));
    },
  };
}
