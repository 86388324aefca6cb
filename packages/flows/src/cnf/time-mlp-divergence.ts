// The divergence ∇·v(t, x) = tr ∂v/∂x of core's time-mlp by forward-mode differentiation through
// its layers: with a_k = h_{k−1} W_k + b_k, h_k = σ(a_k) and h_0 = [x, e(t)], a tangent ẋ gives
// ȧ_1 = ẋ W_1[:d], ȧ_{k+1} = (σ'(a_k) ⊙ ȧ_k) W_{k+1}, and J ẋ = ȧ_L. The exact trace pushes the d
// basis vectors (Chen et al. 2018, eq. 4); Hutchinson's estimator E_ε[εᵀ J ε] pushes one probe
// ε with E εεᵀ = I (Grathwohl et al. 2019, eq. 6). Only first-order autodiff is needed to train.
import * as tf from '@tensorflow/tfjs-core';
import { activate, type Activation, type TimeMlp, type VectorField } from '@pfm/core';
import { activationDerivative } from './activation-derivative.js';

/** Whether `field` is core's time-mlp (whose layers this module can differentiate). */
export function isTimeMlp(field: VectorField): field is TimeMlp {
  const f = field as Partial<TimeMlp>;
  return f.toSpec?.().type === 'time-mlp' && f.network !== undefined && f.options !== undefined;
}

/** @internal The embedding e(t) of core's time-mlp, `[n, E]` (shared with time-mlp-trace.ts). */
export function timeEmbedding(field: TimeMlp, t: tf.Tensor | number, n: number): tf.Tensor2D {
  const o = field.options;
  const tt = typeof t === 'number' ? tf.fill([n, 1], t) : tf.reshape(t.rank === 0 ? tf.mul(tf.ones([n]), t) : t, [n, 1]);
  if (o.timeEmbedding === 'concat') return tt as tf.Tensor2D;
  const k = o.embeddingFrequencies;
  const omegas = Float32Array.from({ length: k }, (_, i) => 2 * Math.PI * Math.pow(o.maxFrequency, k === 1 ? 0 : i / (k - 1)));
  const angles = tf.mul(tt, tf.tensor2d(omegas, [1, k]));
  return tf.concat([tf.sin(angles), tf.cos(angles)], 1) as tf.Tensor2D;
}

/**
 * v(t, x) `[n, d]` and its divergence `[n]`: exact without `probe`, Hutchinson's εᵀ J ε with a
 * `probe` ε `[n, d]`. Differentiable with respect to the field's weights.
 */
export function timeMlpDivergence(
  field: VectorField,
  t: tf.Tensor | number,
  x: tf.Tensor2D,
  probe?: tf.Tensor2D,
): { velocity: tf.Tensor2D; divergence: tf.Tensor1D } {
  if (!isTimeMlp(field)) {
    throw new TypeError(`cnf: the divergence needs the velocity to be core's time-mlp, got a "${field.toSpec().type}" map`);
  }
  return tf.tidy(() => {
    const [n, d] = x.shape;
    const vars = field.network.variables;
    const layers = vars.length / 2;
    const act = field.network.options.activation as Activation;
    let h: tf.Tensor = tf.concat([x, timeEmbedding(field, t, n)], 1);
    const kernel0 = vars[0]!;
    const w0x = tf.slice(kernel0, [0, 0], [d, kernel0.shape[1]!]);
    // Tangents of a_k: exact → [n·d, w] (row i·d + j is direction e_j of point i); Hutchinson → [n, w].
    // The exact tangent of a_1 is W_1[:d] for every point: kept as [1, d, w] and broadcast by the
    // first σ' product (tf.tile would be as fast forward, but its gradient is one slice per point).
    let tangent: tf.Tensor = probe ? tf.matMul(probe, w0x) : tf.reshape(w0x, [1, d, kernel0.shape[1]!]);
    const rowsPerPoint = probe ? 1 : d;
    for (let k = 0; k < layers; k++) {
      const a = tf.add(tf.matMul(h, vars[2 * k]!), vars[2 * k + 1]!);
      if (k > 0) tangent = tf.matMul(tangent, vars[2 * k]!);
      if (k + 1 === layers) {
        h = a;
        break;
      }
      const slope = activationDerivative(a, act);
      const width = a.shape[1]!;
      const perPoint = tangent.rank === 3 ? tangent : tf.reshape(tangent, [n, rowsPerPoint, width]);
      tangent = tf.reshape(tf.mul(perPoint, tf.reshape(slope, [n, 1, width])), [n * rowsPerPoint, width]);
      h = activate(a, act);
    }
    // No hidden layer: the Jacobian W_1[:d] is the same for every point.
    if (tangent.rank === 3) tangent = tf.reshape(tf.add(tangent, tf.zeros([n, d, d])), [n * d, d]);
    const velocity = h as tf.Tensor2D;
    let divergence: tf.Tensor1D;
    if (probe) {
      divergence = tf.sum(tf.mul(probe, tangent), 1) as tf.Tensor1D;
    } else {
      const jac = tf.reshape(tangent, [n, d, d]);
      divergence = tf.sum(tf.mul(jac, tf.reshape(tf.eye(d), [1, d, d])), [1, 2]) as tf.Tensor1D;
    }
    return { velocity, divergence };
  });
}
