// The axioms a discrepancy D between point clouds is checked against:
//   D(x, x) = 0 (V-statistics and debiased losses; U-statistics only in expectation),
//   D(x, y) = D(y, x), D(x, y) ≥ 0 where the estimator guarantees it,
//   D separates: D(x, x + shift) > D(x, x'),  and ∇ₓD is finite and matches a central
//   finite difference along a random direction.
import * as tf from '@tensorflow/tfjs-core';
import type { Discrepancy } from '../contracts/discrepancy.js';
import { createRng, type Rng } from '../rng/rng.js';

export interface DiscrepancyAxiomOptions {
  dim?: number;
  /** Points per cloud (default 64). */
  n?: number;
  rng?: Rng;
  /** D(x, x) is exactly zero (V-statistics, debiased Sinkhorn). Default true. */
  zeroOnIdentical?: boolean;
  /** D(x, y) = D(y, x). Default true. */
  symmetric?: boolean;
  /** D ≥ 0 on every sample. Default true (false for U-statistics). */
  nonnegative?: boolean;
  /** Check ∇ₓD against finite differences. Default true. */
  gradient?: boolean;
  /** Relative tolerance of the finite-difference check (float32; default 0.05). */
  gradientTolerance?: number;
  tolerance?: number;
  name?: string;
}

const value = (t: tf.Scalar) => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};

/** Throws an Error naming the first axiom `discrepancy` breaks. */
export function checkDiscrepancyAxioms(discrepancy: Discrepancy, options: DiscrepancyAxiomOptions = {}): void {
  const name = options.name ?? 'discrepancy';
  const d = options.dim ?? 2;
  const n = options.n ?? 64;
  const rng = options.rng ?? createRng(99);
  const tol = options.tolerance ?? 1e-4;
  const x = rng.fold(0).normal([n, d]) as tf.Tensor2D;
  const y = tf.tidy(() => tf.add(tf.mul(rng.fold(1).normal([n, d]), 0.7), 0.5)) as tf.Tensor2D;
  const far = tf.tidy(() => tf.add(rng.fold(2).normal([n, d]), 3)) as tf.Tensor2D;
  try {
    const dxy = value(tf.tidy(() => discrepancy(x, y)));
    const dyx = value(tf.tidy(() => discrepancy(y, x)));
    const dxx = value(tf.tidy(() => discrepancy(x, x)));
    const dxFar = value(tf.tidy(() => discrepancy(x, far)));
    for (const [label, v] of [['D(x, y)', dxy], ['D(y, x)', dyx], ['D(x, x)', dxx]] as const) {
      if (!Number.isFinite(v)) throw new Error(`${name}: ${label} is ${v}`);
    }
    const scale = Math.max(Math.abs(dxy), Math.abs(dxFar), 1e-12);
    if ((options.zeroOnIdentical ?? true) && !(Math.abs(dxx) <= tol * (1 + scale))) {
      throw new Error(`${name}: D(x, x) = ${dxx}, expected 0`);
    }
    if ((options.symmetric ?? true) && !(Math.abs(dxy - dyx) <= tol * (1 + scale))) {
      throw new Error(`${name}: not symmetric: D(x, y) = ${dxy}, D(y, x) = ${dyx}`);
    }
    if ((options.nonnegative ?? true) && (dxy < -tol * (1 + scale) || dxFar < -tol * (1 + scale))) {
      throw new Error(`${name}: negative value D(x, y) = ${dxy}`);
    }
    if (!(dxFar > dxy)) {
      throw new Error(`${name}: does not separate: D(x, x + 3) = ${dxFar} is not larger than D(x, y) = ${dxy}`);
    }
    if (options.gradient ?? true) checkGradient(discrepancy, x, y, rng.fold(3), options.gradientTolerance ?? 0.05, name);
  } finally {
    tf.dispose([x, y, far]);
  }
}

function checkGradient(D: Discrepancy, x: tf.Tensor2D, y: tf.Tensor2D, rng: Rng, relTol: number, name: string): void {
  const direction = tf.tidy(() => {
    const v = rng.normal(x.shape);
    return tf.div(v, tf.norm(v)) as tf.Tensor2D;
  });
  try {
    const g = tf.tidy(() => tf.grad((input: tf.Tensor) => D(input as tf.Tensor2D, y))(x));
    const finite = tf.tidy(() => tf.all(tf.isFinite(g)).dataSync()[0]);
    const directional = tf.tidy(() => tf.sum(tf.mul(g, direction)).dataSync()[0]!);
    g.dispose();
    if (!finite) throw new Error(`${name}: the gradient has NaN or Inf entries`);
    // Central differences with a step large enough for float32 round-off.
    const h = 1e-2;
    const plus = value(tf.tidy(() => D(tf.add(x, tf.mul(direction, h)) as tf.Tensor2D, y)));
    const minus = value(tf.tidy(() => D(tf.sub(x, tf.mul(direction, h)) as tf.Tensor2D, y)));
    const fd = (plus - minus) / (2 * h);
    if (!(Math.abs(fd - directional) <= relTol * Math.max(Math.abs(fd), Math.abs(directional)) + 1e-4)) {
      throw new Error(`${name}: directional derivative ${directional} does not match finite difference ${fd}`);
    }
  } finally {
    direction.dispose();
  }
}
