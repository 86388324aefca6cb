// Monotone rational-quadratic spline with linear (identity) tails (Durkan et al. 2019, §3.1,
// following Gregory & Delbourgo 1982). In bin k, with ξ = (x − x_k)/w_k, s_k = h_k/w_k:
//   y = y_k + h_k [s_k ξ² + δ_k ξ(1−ξ)] / [s_k + (δ_{k+1} + δ_k − 2s_k) ξ(1−ξ)]              (eq. 4)
//   dy/dx = s_k² [δ_{k+1} ξ² + 2 s_k ξ(1−ξ) + δ_k (1−ξ)²] / [s_k + (δ_{k+1}+δ_k−2s_k) ξ(1−ξ)]²  (eq. 5)
// The inverse solves the quadratic a ξ² + b ξ + c = 0 for its root in [0, 1] (eq. 6–8).
import * as tf from '@tensorflow/tfjs-core';
import { takeColumns } from './take-columns.js';

/** Options of `rationalQuadraticSpline` (Durkan et al. 2019, §3.1). */
export interface RationalQuadraticSplineOptions {
  /** B: the spline maps [−B, B] onto itself; outside it is the identity. */
  tailBound: number;
  /** Smallest bin width, as a fraction of 2B (K · minBinWidth must be < 1). */
  minBinWidth?: number;
  /** Smallest bin height, as a fraction of 2B (K · minBinHeight must be < 1). */
  minBinHeight?: number;
  /** Smallest derivative at an interior knot. */
  minDerivative?: number;
  /** Evaluate the inverse spline instead. */
  inverse?: boolean;
}

/** Knot positions −B = q_0 < … < q_K = B from unnormalised bin sizes `[r, K]` → `[r, K + 1]`. */
function knots(raw: tf.Tensor2D, minSize: number, bound: number): tf.Tensor2D {
  const [rows, K] = raw.shape;
  // softmax by hand: tfjs's cpu Softmax kernel is slow on many short rows.
  const e = tf.exp(tf.sub(raw, tf.max(raw, 1, true)));
  const p = tf.add(tf.mul(tf.div(e, tf.sum(e, 1, true)), 1 - minSize * K), minSize);
  // Cumulative sums by a triangular 0/1 matrix: cum_j = Σ_{i<j} p_i.
  const tri = new Float32Array(K * (K + 1));
  for (let i = 0; i < K; i++) for (let j = i + 1; j <= K; j++) tri[i * (K + 1) + j] = 1;
  const cum = tf.matMul(p, tf.tensor2d(tri, [K, K + 1]));
  const q = tf.sub(tf.mul(cum, 2 * bound), bound) as tf.Tensor2D;
  // The end knots are exactly ±B (the rounding of Σ p_i must not move the tails).
  const inner = K > 1 ? [takeColumns(q, 1, K - 1)] : [];
  return tf.concat([tf.fill([rows, 1], -bound), ...inner, tf.fill([rows, 1], bound)], 1) as tf.Tensor2D;
}

/**
 * Elementwise rational-quadratic spline y = g(x), identity outside [−B, B].
 * `inputs` `[n, m]`; per element K bins: `widths`, `heights` `[n, m, K]` and interior
 * `derivatives` `[n, m, K − 1]` (all unnormalised: softmax and softplus make them valid).
 * Returns `[y, log|dy/dx|]`, both `[n, m]` (with `inverse`: `[x, log|dx/dy|]`).
 * Source: Durkan, Bekasov, Murray & Papamakarios, "Neural Spline Flows", NeurIPS 2019.
 */
export function rationalQuadraticSpline(
  inputs: tf.Tensor2D,
  widths: tf.Tensor3D,
  heights: tf.Tensor3D,
  derivatives: tf.Tensor3D,
  options: RationalQuadraticSplineOptions,
): [tf.Tensor2D, tf.Tensor2D] {
  const [n, m] = inputs.shape;
  const K = widths.shape[2];
  const B = options.tailBound;
  const minW = options.minBinWidth ?? 1e-3;
  const minH = options.minBinHeight ?? 1e-3;
  const minD = options.minDerivative ?? 1e-3;
  if (!(B > 0)) throw new RangeError(`rationalQuadraticSpline: tailBound must be positive, got ${B}`);
  if (!(minW * K < 1) || !(minH * K < 1)) {
    throw new RangeError(`rationalQuadraticSpline: bins × minBinWidth and bins × minBinHeight must be < 1 (bins ${K}, ${minW}, ${minH})`);
  }
  const want = (t: tf.Tensor, shape: number[], name: string) => {
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new RangeError(`rationalQuadraticSpline: ${name} has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
  };
  want(heights, [n, m, K], 'heights');
  want(derivatives, [n, m, K - 1], 'derivatives');
  return tf.tidy(() => {
    const rows = n * m;
    const v = tf.reshape(inputs, [rows, 1]);
    const xs = knots(tf.reshape(widths, [rows, K]), minW, B);
    const ys = knots(tf.reshape(heights, [rows, K]), minH, B);
    const lower = (q: tf.Tensor2D) => takeColumns(q, 0, K);
    const upper = (q: tf.Tensor2D) => takeColumns(q, 1, K);
    const binWidths = tf.sub(upper(xs), lower(xs));
    const binHeights = tf.sub(upper(ys), lower(ys));
    // Boundary derivatives are 1 so the spline joins the identity tails with a continuous slope;
    // the shift c₀ = log(e^{1−δ_min} − 1) makes a zero network output give δ = 1 (the identity).
    const c0 = Math.log(Math.expm1(1 - minD));
    const innerD = tf.add(tf.softplus(tf.add(tf.reshape(derivatives, [rows, K - 1]), c0)), minD);
    const ones = tf.ones([rows, 1]);
    const ds = tf.concat([ones, innerD, ones], 1) as tf.Tensor2D;

    // Bin of each element: one-hot from the (monotone) knot comparisons. Only greaterEqual is
    // used: it is the comparison with a registered (zero) gradient.
    const vc = tf.clipByValue(v, -B, B);
    const search = options.inverse ? ys : xs;
    const ge = tf.cast(tf.greaterEqual(vc, takeColumns(search, 1, K - 1)), 'float32');
    const oneHot = tf.sub(tf.concat([ones, ge], 1), tf.concat([ge, tf.zerosLike(ones)], 1));
    const pick = (t: tf.Tensor) => tf.sum(tf.mul(oneHot, t), 1, true);
    const xk = pick(lower(xs));
    const wk = pick(binWidths);
    const yk = pick(lower(ys));
    const hk = pick(binHeights);
    const dk = pick(lower(ds));
    const dk1 = pick(upper(ds));
    const sk = tf.div(hk, wk);
    const curvature = tf.sub(tf.add(dk1, dk), tf.mul(sk, 2));

    const logSlope = (xi: tf.Tensor) => {
      const mid = tf.mul(xi, tf.sub(1, xi));
      const num = tf.mul(
        tf.square(sk),
        tf.addN([tf.mul(dk1, tf.square(xi)), tf.mul(tf.mul(sk, 2), mid), tf.mul(dk, tf.square(tf.sub(1, xi)))]),
      );
      const den = tf.add(sk, tf.mul(curvature, mid));
      return tf.sub(tf.log(num), tf.mul(tf.log(den), 2));
    };

    let inside: tf.Tensor;
    let logDet: tf.Tensor;
    if (!options.inverse) {
      const xi = tf.clipByValue(tf.div(tf.sub(vc, xk), wk), 0, 1);
      const mid = tf.mul(xi, tf.sub(1, xi));
      const num = tf.mul(hk, tf.add(tf.mul(sk, tf.square(xi)), tf.mul(dk, mid)));
      const den = tf.add(sk, tf.mul(curvature, mid));
      inside = tf.add(yk, tf.div(num, den));
      logDet = logSlope(xi);
    } else {
      const dy = tf.sub(vc, yk);
      const a = tf.add(tf.mul(hk, tf.sub(sk, dk)), tf.mul(dy, curvature));
      const b = tf.sub(tf.mul(hk, dk), tf.mul(dy, curvature));
      const c = tf.neg(tf.mul(sk, dy));
      const disc = tf.relu(tf.sub(tf.square(b), tf.mul(tf.mul(a, c), 4)));
      // The root in [0, 1], written 2c / (−b − √disc) to avoid cancellation.
      const xi = tf.clipByValue(tf.div(tf.mul(c, 2), tf.sub(tf.neg(b), tf.sqrt(disc))), 0, 1);
      inside = tf.add(tf.mul(xi, wk), xk);
      logDet = tf.neg(logSlope(xi));
    }
    // Identity tails: blend by a 0/1 indicator (a product of greaterEqual, so no op without a gradient).
    const isInside = tf.mul(tf.cast(tf.greaterEqual(v, -B), 'float32'), tf.cast(tf.greaterEqual(tf.scalar(B), v), 'float32'));
    const out = tf.add(tf.mul(isInside, inside), tf.mul(tf.sub(1, isInside), v));
    return [tf.reshape(out, [n, m]) as tf.Tensor2D, tf.reshape(tf.mul(isInside, logDet), [n, m]) as tf.Tensor2D];
  });
}
