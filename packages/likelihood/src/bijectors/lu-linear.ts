// Invertible linear map x = W z with W = P L U (Kingma & Dhariwal 2018, §3.2, "LU decomposition"):
// P a fixed permutation, L unit lower triangular, U upper triangular with diagonal exp(u), so
// log|det W| = Σ_i u_i costs O(d). The inverse uses the finite Neumann series of the nilpotent
// strictly triangular parts: (I + N)⁻¹ = Σ_{k<d} (−N)^k = Π_j (I + (−N)^{2^j}).
import * as tf from '@tensorflow/tfjs-core';
import { reserveParameters } from '@pfm/core';
import { z } from 'zod';
import { selectionMatrix } from './coupling-mask.js';
import { defineBijector, type PfmBijector } from './define-bijector.js';
import { explicitOrderSchema, orderProblem, permutationOrder } from './permutation.js';

/** Options of `lu-linear`: dim and the fixed permutation P (permute, seed, or an explicit order). */
export const luLinearOptionsSchema = z
  .object({
    dim: z.number().int().positive(),
    /** Use a fixed random permutation P drawn from `seed` (else P = I). */
    permute: z.boolean().default(true),
    /** Seed of P (part of the spec, so a file rebuilds the same P). */
    seed: z.number().int().min(0).default(0),
    /** P itself as a column order, (zP)[:, j] = z[:, order[j]]; when given, `permute` and `seed` are not used. */
    order: explicitOrderSchema.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const problem = o.order && orderProblem(o.order, o.dim);
    if (problem) ctx.addIssue({ code: 'custom', path: ['order'], message: `order ${problem}` });
  });

/** Options accepted by `luLinear`. */
export type LuLinearOptions = z.input<typeof luLinearOptionsSchema>;

let counter = 0;

/** (I + N)⁻¹ for a strictly triangular N `[d, d]`, by repeated squaring of the Neumann series. */
function unitTriangularInverse(N: tf.Tensor2D, d: number): tf.Tensor2D {
  const I = tf.eye(d);
  let M: tf.Tensor2D = tf.neg(N);
  let acc: tf.Tensor2D = tf.add(I, M);
  for (let power = 2; power < d; power *= 2) {
    M = tf.matMul(M, M);
    acc = tf.matMul(acc, tf.add(I, M));
  }
  return acc;
}

/**
 * LU-parametrised invertible linear bijector `[n, dim]` → `[n, dim]`, x = W z, W = P L U,
 * log|det W| = Σ log|U_ii|. Starts at W = P (L = U = I).
 * Source: Kingma & Dhariwal, "Glow", NeurIPS 2018, §3.2; used between spline couplings by
 * Durkan et al., "Neural Spline Flows", 2019.
 */
export function luLinear(options: LuLinearOptions): PfmBijector<z.output<typeof luLinearOptionsSchema>> {
  const parsed = luLinearOptionsSchema.parse(options);
  const d = parsed.dim;
  reserveParameters(d > 1 ? 2 * d * d + d : d, `lu-linear (dim ${d})`);
  const scope = `lu-linear${counter++}`;
  const order = parsed.order
    ? parsed.order
    : parsed.permute
      ? Array.from(permutationOrder({ dim: d, kind: 'random', seed: parsed.seed }))
      : Array.from({ length: d }, (_, i) => i);
  const P = selectionMatrix(d, order);
  const maskLower = new Float32Array(d * d);
  const maskUpper = new Float32Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (j < i) maskLower[i * d + j] = 1;
      if (j > i) maskUpper[i * d + j] = 1;
    }
  }
  // In one dimension L and U have no free entries: only the diagonal is a variable.
  const lower = d > 1 ? tf.tidy(() => tf.variable(tf.zeros([d, d]), true, `${scope}/lower`)) : null;
  const upper = d > 1 ? tf.tidy(() => tf.variable(tf.zeros([d, d]), true, `${scope}/upper`)) : null;
  const logDiag = tf.tidy(() => tf.variable(tf.zeros([d]), true, `${scope}/log-diagonal`)) as tf.Variable<tf.Rank.R1>;
  const strict = (v: tf.Variable | null, mask: Float32Array): tf.Tensor2D =>
    v ? (tf.mul(v, tf.tensor2d(mask, [d, d])) as tf.Tensor2D) : (tf.zeros([d, d]) as tf.Tensor2D);
  const logDets = (n: number, sign: number) => tf.mul(tf.ones([n]), tf.mul(tf.sum(logDiag), sign)) as tf.Tensor1D;
  return defineBijector({
    type: 'lu-linear',
    dim: d,
    variables: [...(lower ? [lower] : []), ...(upper ? [upper] : []), logDiag],
    options: () => parsed,
    forward(zIn) {
      // Rows: x = z Wᵀ = ((z Uᵀ) Lᵀ) Pᵀ.
      const U = tf.add(tf.mul(tf.eye(d), tf.reshape(tf.exp(logDiag), [1, d])), strict(upper, maskUpper));
      const L = tf.add(tf.eye(d), strict(lower, maskLower));
      const v = tf.matMul(tf.matMul(zIn, U, false, true), L, false, true);
      return [tf.matMul(v, tf.tensor2d(P, [d, d])) as tf.Tensor2D, logDets(zIn.shape[0], 1)];
    },
    inverse(x) {
      // z = x P L⁻ᵀ U⁻ᵀ with U⁻¹ = (I + D⁻¹N_U)⁻¹ D⁻¹.
      const Linv = unitTriangularInverse(strict(lower, maskLower), d);
      const dInv = tf.exp(tf.neg(logDiag));
      const inner = unitTriangularInverse(tf.mul(tf.reshape(dInv, [d, 1]), strict(upper, maskUpper)) as tf.Tensor2D, d);
      const Uinv = tf.mul(inner, tf.reshape(dInv, [1, d]));
      const u = tf.matMul(x, tf.tensor2d(P, [d, d]), false, true);
      const zOut = tf.matMul(tf.matMul(u, Linv, false, true), Uinv, false, true);
      return [zOut as tf.Tensor2D, logDets(x.shape[0], -1)];
    },
  });
}
