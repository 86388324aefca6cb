// v(t, x) and ∇·v(t, x) of core's time-mlp as one differentiable operation with a hand-written
// backward pass (tf.customGrad), for CNF training: the same forward-mode tangents as
// time-mlp-divergence.ts (a_k = h_{k−1} W_k + b_k, h_k = σ(a_k), T_1 = P W_1[:d],
// T_{k+1} = (σ'(a_k) ⊙ T_k) W_{k+1}, ∇·v = Σ P ⊙ T_L with P the d basis vectors or a probe), and the
// reverse pass written out once instead of taped op by op:
//   G_A ← ∂L/∂v, G_T ← (∂L/∂div) P;  for k = L … 2:  ∂W_k = h_{k−1}ᵀ G_A + U_{k−1}ᵀ G_T, ∂b_k = Σ G_A,
//   G_U = G_T W_kᵀ, G_T ← G_U ⊙ s_{k−1}, G_A ← (G_A W_kᵀ) ⊙ s_{k−1} + Σ_r (G_U ⊙ T_{k−1}) ⊙ σ''(a_{k−1}),
//   with s = σ'(a), U = s ⊙ T;  ∂W_1 = h_0ᵀ G_A (+ Pᵀ G_T on the x rows), ∂x = G_A W_1[:d]ᵀ.
// A step then runs a few dozen kernels instead of hundreds (tape, casts, reshapes, per-op gradients).
// With linear, relu or selu layers on a backend with the fused dense kernels, fused-time-mlp-trace.ts
// runs instead (one kernel per layer for the value path each way).
import * as tf from '@tensorflow/tfjs-core';
import { activate, type Activation, type TimeMlp, type VectorField } from '@pfm/core';
import { activationDerivative } from './activation-derivative.js';
import { activationSecondDerivative } from './activation-second-derivative.js';
import { fusedTimeMlpTrace, fusedTimeMlpTraceApplies } from './fused-time-mlp-trace.js';
import { isTimeMlp, timeEmbedding } from './time-mlp-divergence.js';

/**
 * v(t, x) `[n, d]` and its divergence `[n]` of core's time-mlp `field`: exact without `probe`,
 * Hutchinson's εᵀ J ε with a `probe` ε `[n, d]`. Differentiable with respect to x and the field's
 * weights through a hand-written backward pass (not twice differentiable). The values equal
 * {@link timeMlpDivergence}'s up to float rounding. Linear, relu and selu networks run on the
 * fused dense kernels where the backend registers them.
 */
export function timeMlpTrace(field: VectorField, t: tf.Tensor | number, x: tf.Tensor2D, probe?: tf.Tensor2D): { velocity: tf.Tensor2D; divergence: tf.Tensor1D } {
  if (!isTimeMlp(field)) {
    throw new TypeError(`cnf: the divergence needs the velocity to be core's time-mlp, got a "${field.toSpec().type}" map`);
  }
  const mlp = field as TimeMlp;
  const [n, d] = x.shape;
  if (probe !== undefined && (probe.rank !== 2 || probe.shape[0] !== n || probe.shape[1] !== d)) {
    throw new RangeError(`timeMlpTrace: probe must be [${n}, ${d}] like x, got [${probe.shape.join(', ')}]`);
  }
  const act = mlp.network.options.activation as Activation;
  const weights = mlp.network.variables as readonly tf.Variable[];
  const layers = weights.length / 2;
  if (fusedTimeMlpTraceApplies(mlp)) {
    return tf.tidy(() => {
      const packed = fusedTimeMlpTrace(mlp, t, x, probe);
      return {
        velocity: tf.slice(packed, [0, 0], [n, d]) as tf.Tensor2D,
        divergence: tf.reshape(tf.slice(packed, [0, d], [n, 1]), [n]) as tf.Tensor1D,
      };
    });
  }
  return tf.tidy(() => {
    // Directions P [n·r, d]: the d basis vectors of every point (exact trace) or its probe (r = 1).
    const r = probe ? 1 : d;
    const directions = probe ?? (tf.reshape(tf.tile(tf.reshape(tf.eye(d), [1, d, d]), [n, 1, 1]), [n * d, d]) as tf.Tensor2D);
    const embedding = timeEmbedding(mlp, t, n);
    const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const save = args.pop() as tf.GradSaveFunc;
      const [xs, ...params] = args as [tf.Tensor2D, ...tf.Tensor2D[]];
      const h0 = tf.concat([xs, embedding], 1) as tf.Tensor2D;
      const w1 = params[0]!;
      let a = tf.add(tf.matMul(h0, w1), params[1]!) as tf.Tensor2D;
      let tangent = tf.matMul(directions, tf.slice(w1, [0, 0], [d, w1.shape[1]])) as tf.Tensor2D;
      // Saved: P, h_0, then per hidden layer a_k, h_k, s_k, T_k, U_k (the backward pass runs after
      // the caller's scopes have ended, so nothing can be read from this closure).
      const saved: tf.Tensor[] = [directions, h0];
      for (let k = 1; k < layers; k++) {
        const h = activate(a, act) as tf.Tensor2D;
        const slope = activationDerivative(a, act) as tf.Tensor2D;
        const width = a.shape[1];
        const scaled = tf.reshape(tf.mul(tf.reshape(tangent, [n, r, width]), tf.reshape(slope, [n, 1, width])), [n * r, width]) as tf.Tensor2D;
        saved.push(a, h, slope, tangent, scaled);
        a = tf.add(tf.matMul(h, params[2 * k]!), params[2 * k + 1]!) as tf.Tensor2D;
        tangent = tf.matMul(scaled, params[2 * k]!) as tf.Tensor2D;
      }
      const divergence = tf.sum(tf.reshape(tf.mul(directions, tangent), [n, r * d]), 1);
      save(saved);
      return {
        value: tf.concat([a, tf.reshape(divergence, [n, 1])], 1),
        gradFunc: (dy: tf.Tensor, stored: tf.Tensor[]) => {
          const directions = stored[0]!;
          const grads: tf.Tensor[] = new Array(2 * layers);
          let gA = tf.slice(dy, [0, 0], [n, d]) as tf.Tensor2D;
          let gT = tf.mul(tf.reshape(tf.tile(tf.reshape(tf.slice(dy, [0, d], [n, 1]), [n, 1, 1]), [1, r, 1]), [n * r, 1]), directions) as tf.Tensor2D;
          for (let k = layers - 1; k >= 1; k--) {
            const [ak, hk, sk, tk, uk] = stored.slice(2 + 5 * (k - 1), 2 + 5 * k) as tf.Tensor2D[];
            const w = params[2 * k]!;
            grads[2 * k] = tf.add(tf.matMul(hk!, gA, true, false), tf.matMul(uk!, gT, true, false));
            grads[2 * k + 1] = tf.sum(gA, 0);
            const width = w.shape[0];
            const gU = tf.matMul(gT, w, false, true);
            const gS = tf.sum(tf.reshape(tf.mul(gU, tk!), [n, r, width]), 1);
            gT = tf.reshape(tf.mul(tf.reshape(gU, [n, r, width]), tf.reshape(sk!, [n, 1, width])), [n * r, width]) as tf.Tensor2D;
            gA = tf.add(tf.mul(tf.matMul(gA, w, false, true), sk!), tf.mul(gS, activationSecondDerivative(ak!, hk!, act))) as tf.Tensor2D;
          }
          const h0s = stored[1]!;
          const w1s = params[0]!;
          const rows = w1s.shape[0];
          const tangentRows = tf.matMul(directions, gT, true, false);
          grads[0] = tf.add(tf.matMul(h0s, gA, true, false), rows === d ? tangentRows : tf.pad(tangentRows, [[0, rows - d], [0, 0]]));
          grads[1] = tf.sum(gA, 0);
          const dx = tf.matMul(gA, tf.slice(w1s, [0, 0], [d, w1s.shape[1]]), false, true);
          return [dx, ...grads];
        },
      };
    });
    const packed = (fused as (...inputs: tf.Tensor[]) => tf.Tensor)(x, ...weights);
    return {
      velocity: tf.slice(packed, [0, 0], [n, d]) as tf.Tensor2D,
      divergence: tf.reshape(tf.slice(packed, [0, d], [n, 1]), [n]) as tf.Tensor1D,
    };
  });
}
