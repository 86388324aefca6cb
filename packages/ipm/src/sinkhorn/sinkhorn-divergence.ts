// Debiased Sinkhorn divergence S_ε(α, β) = OT_ε(α, β) − ½ OT_ε(α, α) − ½ OT_ε(β, β) (Feydy et al.
// 2019, "Interpolating between optimal transport and MMD using Sinkhorn divergences", AISTATS, eq. 4).
// Gradient by the envelope theorem at the converged potentials: ∂S/∂x_i = Σ_j π^{xy}_ij ∇₁C(x_i, y_j)
// − Σ_k π^{xx}_ik ∇₁C(x_i, x_k), with ∇₁C(a, b) = ‖a − b‖^{p−2}(a − b); nothing is differentiated
// through the iterations.
import * as tf from '@tensorflow/tfjs-core';
import { checkPointClouds } from '../points/check-point-clouds.js';
import type { HostPoints } from '../points/points.js';
import { checkWeights } from '../wasserstein/check-weights.js';
import {
  diameter,
  forEachPlanEntry,
  sinkhornSettings,
  solveSinkhorn,
  solveSymmetricSinkhorn,
  type SinkhornState,
} from './log-domain-sinkhorn.js';
import type { SinkhornOptions } from './sinkhorn.js';

/** Options of the divergence: those of `sinkhorn` except the plan. */
export type SinkhornDivergenceOptions = Omit<SinkhornOptions, 'plan'>;

function hostOf(t: tf.Tensor2D): HostPoints {
  return { data: Float64Array.from(t.dataSync()), n: t.shape[0], d: t.shape[1] };
}

// Adds sign · Σ_j π_ij ∇₁C(x_i, y_j) into gx[i] and sign · Σ_i π_ij ∇₂C(x_i, y_j) into gy[j].
function accumulate(
  hx: HostPoints,
  hy: HostPoints,
  a: Float64Array,
  b: Float64Array,
  state: SinkhornState,
  p: number,
  sign: number,
  gx: Float64Array,
  gy: Float64Array | null,
): void {
  const d = hx.d;
  forEachPlanEntry(hx, hy, a, b, state, p, (i, j, mass, cost) => {
    if (mass === 0) return;
    // ‖x − y‖^{p−2} from C = ‖x − y‖^p / p: ‖x − y‖^{p−2} = (pC)^{(p−2)/p}; 0 at x = y when p < 2.
    const r = p * cost;
    const factor = p === 2 ? 1 : r > 0 ? r ** ((p - 2) / p) : 0;
    for (let k = 0; k < d; k++) {
      const diff = hx.data[i * d + k]! - hy.data[j * d + k]!;
      const v = sign * mass * factor * diff;
      gx[i * d + k] = gx[i * d + k]! + v;
      if (gy) gy[j * d + k] = gy[j * d + k]! - v;
    }
  });
}

/**
 * Debiased Sinkhorn divergence S_ε between `x` `[n, d]` and `y` `[m, d]` → scalar, with the cost
 * C = ‖x − y‖^p / p and ε = blur^p. S_ε(x, x) = 0, S_ε ≥ 0; S_ε → ½W₂² (p = 2) as blur → 0 and
 * → ½ MMD² with kernel −C as blur → ∞. Solved on the host (Float64) with ε-scaling (by default
 * GeomLoss's loop: one averaged update per ε and a final extrapolation, see `sinkhornSchema.mode`);
 * the gradient uses the final potentials (envelope theorem), never the iterations.
 * Source: Feydy, Séjourné, Vialard, Amari, Trouvé & Peyré 2019, AISTATS, eq. 4 and Prop. 2.
 */
export function sinkhornDivergence(x: tf.Tensor2D, y: tf.Tensor2D, options: SinkhornDivergenceOptions = {}): tf.Scalar {
  const where = 'sinkhornDivergence';
  checkPointClouds(where, x, y);
  const s = sinkhornSettings(where, options);
  const a = checkWeights(where, 'weightsX', options.weightsX, x.shape[0]);
  const b = checkWeights(where, 'weightsY', options.weightsY, y.shape[0]);
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xs, ys] = args as [tf.Tensor2D, tf.Tensor2D];
    const hx = hostOf(xs as tf.Tensor2D);
    const hy = hostOf(ys as tf.Tensor2D);
    // Mode 'scaling': the three problems follow one ε schedule (GeomLoss), so their biases cancel.
    const joint = s.mode === 'scaling' ? { diameter: diameter([hx, hy]) } : {};
    const xy = solveSinkhorn(hx, hy, a, b, s, joint);
    const xx = solveSymmetricSinkhorn(hx, a, s, joint);
    const yy = solveSymmetricSinkhorn(hy, b, s, joint);
    const value = xy.value - 0.5 * (xx.value + yy.value);
    return {
      value: tf.scalar(value),
      gradFunc: (dy: tf.Tensor) => {
        const gx = new Float64Array(hx.n * hx.d);
        const gy = new Float64Array(hy.n * hy.d);
        if (xy.fPrev && xy.gPrev && xx.fPrev && yy.fPrev) {
          // Mode 'scaling': as GeomLoss differentiates its extrapolation step, x sees the plan of
          // (f, gPrev), whose rows are exact, y that of (fPrev, g), whose columns are, and each
          // debiasing term the plan of (f, fPrev) through its first argument only.
          accumulate(hx, hy, a, b, { ...xy, g: xy.gPrev }, s.p, 1, gx, null);
          accumulate(hy, hx, b, a, { ...xy, f: xy.g, g: xy.fPrev }, s.p, 1, gy, null);
          accumulate(hx, hx, a, a, { ...xx, g: xx.fPrev }, s.p, -1, gx, null);
          accumulate(hy, hy, b, b, { ...yy, g: yy.fPrev }, s.p, -1, gy, null);
        } else {
          accumulate(hx, hy, a, b, xy, s.p, 1, gx, gy);
          accumulate(hx, hx, a, a, xx, s.p, -1, gx, null);
          accumulate(hy, hy, b, b, yy, s.p, -1, gy, null);
        }
        return tf.tidy(() => [
          tf.mul(tf.tensor2d(Float32Array.from(gx), [hx.n, hx.d]), dy),
          tf.mul(tf.tensor2d(Float32Array.from(gy), [hy.n, hy.d]), dy),
        ]);
      },
    };
  });
  return f(x, y) as tf.Scalar;
}
