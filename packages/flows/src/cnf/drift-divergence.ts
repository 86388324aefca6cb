// The divergence ∇·f(t, x) = tr ∂f/∂x of any drift by reverse-mode autodiff, batched:
//   exact (Chen et al. 2018, eq. 4): the d vector-Jacobian products e_jᵀ J for all points in one
//     backward pass over the d-fold tiled batch [d·n, d] (row j·n + i carries point i and
//     cotangent e_j), then tr J = Σ_j (e_jᵀ J)_j;
//   Hutchinson (Hutchinson 1989; Grathwohl et al. 2019, eq. 6): tr J = E_ε[εᵀ J ε] with E εεᵀ = I,
//     averaged over k Rademacher probes, again one backward pass over the k-fold tiled batch.
// The rows of a pointwise network do not interact, so the tiled pass is d (or k) independent VJPs.
import * as tf from '@tensorflow/tfjs-core';

/** A drift f(t, x), `[n, d]` → `[n, d]`, applied row by row. */
export type Drift = (t: number, x: tf.Tensor2D) => tf.Tensor2D;

/** The drift and its divergence at one time. */
export interface DriftAndDivergence {
  /** f(t, x) `[n, d]`. */
  drift: tf.Tensor2D;
  /** ∇·f(t, x) `[n]`: exact, or the mean of εᵀ J ε over the probes. */
  divergence: tf.Tensor1D;
}

/**
 * f(t, x) and ∇·f(t, x) for x `[n, d]`. Without `probes` the trace is exact (d VJPs in one
 * backward pass over `[d·n, d]` rows); with `probes` ε `[k·n, d]` (row j·n + i is probe j of point
 * i, E εεᵀ = I) it is Hutchinson's estimate averaged over the k probes. Not differentiable with
 * respect to the drift's weights (it is for evaluation; training uses forward-mode tangents).
 */
export function driftDivergence(drift: Drift, t: number, x: tf.Tensor2D, probes?: tf.Tensor2D): DriftAndDivergence {
  const [n, d] = x.shape;
  if (probes !== undefined && (probes.rank !== 2 || probes.shape[1] !== d || probes.shape[0] % n !== 0 || probes.shape[0] === 0)) {
    throw new RangeError(`driftDivergence: probes must be [k·${n}, ${d}] for k ≥ 1 probes per point, got [${probes.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const copies = probes === undefined ? d : probes.shape[0] / n;
    // Cotangents: block j of the exact case is e_j for every point of the block.
    const cotangent =
      probes ?? (tf.reshape(tf.tile(tf.reshape(tf.eye(d), [d, 1, d]), [1, n, 1]), [d * n, d]) as tf.Tensor2D);
    const tiled = copies === 1 ? x : (tf.tile(x, [copies, 1]) as tf.Tensor2D);
    let value: tf.Tensor2D | undefined;
    let badShape: number[] | undefined;
    try {
      const vjp = tf.grad((y: tf.Tensor) => {
        const f = drift(t, y as tf.Tensor2D);
        // Not thrown from inside: tfjs would keep the tensors its tape saved.
        if (f.rank !== 2 || f.shape[0] !== y.shape[0] || f.shape[1] !== d) {
          badShape = f.shape;
          return tf.sum(f);
        }
        // Kept past the gradient's own scope (which disposes everything but the gradient).
        value = tf.keep(tf.slice(f, [0, 0], [n, d]));
        return tf.sum(tf.mul(f, cotangent));
      })(tiled);
      if (badShape !== undefined) {
        throw new RangeError(`driftDivergence: the drift must map [${tiled.shape.join(', ')}] to the same shape, got [${badShape.join(', ')}]`);
      }
      const products = tf.reshape(tf.sum(tf.mul(vjp, cotangent), 1), [copies, n]);
      // Exact: Σ_j J_jj over the d blocks; Hutchinson: the mean of the k estimates.
      const divergence = (probes === undefined ? tf.sum(products, 0) : tf.mean(products, 0)) as tf.Tensor1D;
      // A kept tensor escapes every tidy: hand back a copy that this tidy owns.
      return { drift: tf.clone(value!), divergence };
    } finally {
      value?.dispose();
    }
  });
}
