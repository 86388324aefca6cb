// The instantaneous change of variables (Chen et al. 2018, Theorem 1): along ẋ = v_t(x),
// d/dt log p_t(x_t) = −∇·v_t(x_t), so with x(1) = x integrated back to z = x(0),
//   log p_1(x) = log N(z; 0, I) − ∫₀¹ ∇·v_t(x_t) dt.
// The state [x, c] with ċ = ∇·v, c(1) = 0, is integrated from t = 1 to 0: log p_1(x) = log N(z) + c(0).
import * as tf from '@tensorflow/tfjs-core';
import { solve, type Solver, type VectorField } from '@pfm/core';
import type { TimeMlp } from '@pfm/core';
import { fusedTimeMlpTrace, fusedTimeMlpTraceApplies } from './fused-time-mlp-trace.js';
import { isTimeMlp } from './time-mlp-divergence.js';
import { timeMlpTrace } from './time-mlp-trace.js';

/**
 * log p_1(x) `[n]` of the flow of `field` from N(0, I) at t = 0, for x `[n, d]`, with a fixed-step
 * ODE solve back to t = 0; the divergence is exact, or Hutchinson's estimate with `probe` `[n, d]`.
 * Differentiable with respect to the field's weights (discretise-then-optimise).
 */
export function cnfLogProb(field: VectorField, x: tf.Tensor2D, solver: Solver, steps: number, probe?: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [n, d] = x.shape;
    // On the fused kernels the op's packed output [v, ∇·v] is the drift of the state [x, c] itself.
    const fused = isTimeMlp(field) && fusedTimeMlpTraceApplies(field as TimeMlp);
    const drift = (t: number, y: tf.Tensor2D) =>
      tf.tidy(() => {
        if (fused) return fusedTimeMlpTrace(field as TimeMlp, t, tf.slice(y, [0, 0], [n, d]) as tf.Tensor2D, probe);
        const xs = tf.slice(y, [0, 0], [n, d]) as tf.Tensor2D;
        const { velocity, divergence } = timeMlpTrace(field, t, xs, probe);
        return tf.concat([velocity, tf.reshape(divergence, [n, 1])], 1) as tf.Tensor2D;
      });
    const start = tf.concat([x, tf.zeros([n, 1])], 1) as tf.Tensor2D;
    const { y } = solve({ drift }, solver, { t0: 1, t1: 0, steps }, start);
    const z = tf.slice(y, [0, 0], [n, d]);
    const c = tf.reshape(tf.slice(y, [0, d], [n, 1]), [n]);
    const logBase = tf.sub(tf.mul(tf.sum(tf.square(z), 1), -0.5), 0.5 * d * Math.log(2 * Math.PI));
    return tf.add(logBase, c) as tf.Tensor1D;
  });
}
