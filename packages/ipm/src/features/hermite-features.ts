// Normalised probabilists' Hermite polynomials H_a(x) = Π_k He_{a_k}(x_k)/√(a_k!), 1 ≤ |a| ≤ K: an
// orthonormal basis of L²(N(0, I)) and the eigenfunctions of the Ornstein–Uhlenbeck generator
// L f = Δf − x·∇f, L H_a = −|a| H_a (Bakry, Gentil & Ledoux 2014, "Analysis and Geometry of Markov
// Diffusion Operators", §2.7.1). With τ_a ∝ λ_a = |a|, D₂² = Σ_a τ_a ⟨H_a|ρ − μ⟩² is the weighting
// that Cabannes & Arnal 2023 (arXiv 2311.13845, §4, footnote 9) link to the OU gradient flow.
import * as tf from '@tensorflow/tfjs-core';
import type { TestFunctionFamily } from '@pfm/core';
import { z } from 'zod';
import { checkDim } from './check-family-arrays.js';
import type { FamilyDimension } from './family-dimension.js';
import { registerFeatureRowGradient } from './feature-row-gradients.js';

/** The largest family {@link hermiteFeatures} builds: C(K + d, d) − 1 grows fast with d. */
export const HERMITE_MAX_SIZE = 4096;

/** JSON-able options of {@link hermiteFeatures} (and of the `hermite` family entry): the one place they are written. */
export const hermiteFeaturesSchema = z.strictObject({
  /** K, the largest total degree |a| = a₁ + … + a_d. Default 4. */
  degree: z.number().int().positive().default(4),
  /**
   * τ_a as a function of the OU eigenvalue λ_a = |a|: `'eigenvalue'` τ = λ (default: the paper's
   * τ(f_i) ∝ λ_i), `'inverse-eigenvalue'` τ = 1/λ, `'uniform'` τ = 1.
   */
  tau: z.enum(['eigenvalue', 'inverse-eigenvalue', 'uniform']).default('eigenvalue'),
  /**
   * Standardisation u = (x − center)/scale before the polynomials are evaluated (the basis is
   * orthonormal under N(center, diag scale²)). Polynomials of degree K grow like |u|^K: data far
   * from unit scale need it (or standardise the data first). Default: center 0.
   */
  center: z.array(z.number()).min(1).optional(),
  /** Per-coordinate scale (`[d]`) or one positive number. Default 1. */
  scale: z.union([z.number().positive(), z.array(z.number().positive()).min(1)]).optional(),
});

/** Options of {@link hermiteFeatures}: the schema's fields, every one optional, and `dim`. */
export type HermiteFeaturesOptions = z.input<typeof hermiteFeaturesSchema> & FamilyDimension;

/** A Hermite family with its multi-indices and eigenvalues exposed. */
export interface HermiteFamily extends TestFunctionFamily {
  /** The multi-indices a, `[M][d]`, by total degree then lexicographically (largest first coordinate first). */
  readonly multiIndices: ReadonlyArray<ReadonlyArray<number>>;
  /** λ_a = |a|, the OU eigenvalue of each feature (L H_a = −λ_a H_a), `[M]`. */
  readonly eigenvalues: Float64Array;
}

/** C(n, k) as a float (exact for the sizes checked here). */
function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** All a ∈ ℕ^d with |a| = total, first coordinate largest first. */
function indicesOfDegree(dim: number, total: number): number[][] {
  if (dim === 1) return [[total]];
  const out: number[][] = [];
  for (let first = total; first >= 0; first--) {
    for (const rest of indicesOfDegree(dim - 1, total - first)) out.push([first, ...rest]);
  }
  return out;
}

/**
 * Normalised Hermite features H_a(x) = Π_k He_{a_k}(u_k)/√(a_k!), u = (x − center)/scale, for every
 * multi-index 1 ≤ |a| ≤ K: `features(x)` `[n, d]` → `[n, M]` with M = C(K + d, d) − 1, `weights()` →
 * `[M]` (τ_a = |a|, 1/|a| or 1). He is computed by He_{j+1}(u) = u He_j(u) − j He_{j−1}(u), so
 * h_j = He_j/√(j!) obeys h_{j+1} = (u h_j − √j h_{j−1})/√(j + 1).
 * Under N(0, I): ⟨H_a H_b⟩ = δ_ab, and L H_a = −|a| H_a for L f = Δf − u·∇f, hence along the OU
 * semigroup ⟨H_a|ρ_t⟩ = e^{−|a|t}⟨H_a|ρ₀⟩. Sources: Bakry, Gentil & Ledoux 2014, §2.7.1 (OU spectrum);
 * Cabannes & Arnal 2023, arXiv 2311.13845, §4 (τ ∝ λ).
 */
export function hermiteFeatures(options: HermiteFeaturesOptions): HermiteFamily {
  const where = 'hermiteFeatures';
  const dim = checkDim(where, options.dim);
  const K = options.degree ?? 4;
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`${where}: degree must be a positive integer, got ${String(K)}`);
  const size = binomial(K + dim, dim) - 1;
  if (size > HERMITE_MAX_SIZE) {
    throw new RangeError(
      `${where}: degree ${K} in dimension ${dim} gives ${size} multi-indices (C(${K} + ${dim}, ${dim}) − 1); ` +
        `at most ${HERMITE_MAX_SIZE} are built: lower the degree`,
    );
  }
  const tauRule = options.tau ?? 'eigenvalue';
  if (!['eigenvalue', 'inverse-eigenvalue', 'uniform'].includes(tauRule)) {
    throw new RangeError(`${where}: tau must be "eigenvalue", "inverse-eigenvalue" or "uniform", got ${JSON.stringify(tauRule)}`);
  }
  const center = options.center ?? new Array<number>(dim).fill(0);
  if (!Array.isArray(center) || center.length !== dim || !center.every(Number.isFinite)) {
    throw new RangeError(`${where}: center must be ${dim} finite numbers, got ${JSON.stringify(options.center)}`);
  }
  const rawScale = options.scale ?? 1;
  const scale = typeof rawScale === 'number' ? new Array<number>(dim).fill(rawScale) : rawScale;
  if (!Array.isArray(scale) || scale.length !== dim || !scale.every((s) => s > 0 && Number.isFinite(s))) {
    throw new RangeError(`${where}: scale must be a positive number or ${dim} positive numbers, got ${JSON.stringify(options.scale)}`);
  }

  const multiIndices: number[][] = [];
  for (let total = 1; total <= K; total++) multiIndices.push(...indicesOfDegree(dim, total));
  const eigenvalues = Float64Array.from(multiIndices, (a) => a.reduce((s, v) => s + v, 0));
  const tau = Float32Array.from(eigenvalues, (l) => (tauRule === 'eigenvalue' ? l : tauRule === 'inverse-eigenvalue' ? 1 / l : 1));
  // One-hot selections S_k `[K + 1, M]` with S_k[j, i] = [a_{i,k} = j]: feature i is Π_k (h(u_k) S_k)_i.
  // Matrix products (not gathers) keep every derivative order available to autodiff.
  const selections = Array.from({ length: dim }, (_, k) => {
    const s = new Float32Array((K + 1) * size);
    multiIndices.forEach((a, i) => (s[a[k]! * size + i] = 1));
    return s;
  });
  // Shifted selections S'_k[j, i] = √(a_{i,k}) [a_{i,k} − 1 = j]: (h S'_k)_i = ∂h_{a_k}/∂u_k, as h'_j = √j h_{j−1}.
  const derivativeSelections = Array.from({ length: dim }, (_, k) => {
    const s = new Float32Array((K + 1) * size);
    multiIndices.forEach((a, i) => {
      if (a[k]! > 0) s[(a[k]! - 1) * size + i] = Math.sqrt(a[k]!);
    });
    return s;
  });
  const centerRow = Float32Array.from(center);
  const inverseScale = Float32Array.from(scale, (s) => 1 / s);

  /** `[n, d]` → per coordinate k, the table [h_0(u_k), …, h_K(u_k)] `[n, K + 1]`. */
  const tables = (x: tf.Tensor2D): tf.Tensor2D[] => {
    const u = tf.mul(tf.sub(x, tf.tensor1d(centerRow)), tf.tensor1d(inverseScale));
    return tf.split(u, dim, 1).map((uk) => {
      const h: tf.Tensor[] = [tf.onesLike(uk), uk];
      for (let j = 1; j < K; j++) h.push(tf.div(tf.sub(tf.mul(uk, h[j]!), tf.mul(h[j - 1]!, Math.sqrt(j))), Math.sqrt(j + 1)));
      return tf.concat(h.slice(0, K + 1), 1) as tf.Tensor2D;
    });
  };
  const select = (table: tf.Tensor2D, matrix: Float32Array) => tf.matMul(table, tf.tensor2d(matrix, [K + 1, size]));
  const check = (x: tf.Tensor2D) => {
    if (x.shape.length !== 2 || x.shape[1] !== dim) {
      throw new RangeError(`${where}: family of dimension ${dim} got points of shape [${x.shape.join(', ')}]`);
    }
  };

  const family: HermiteFamily = {
    size,
    multiIndices,
    eigenvalues,
    features(x: tf.Tensor2D): tf.Tensor2D {
      check(x);
      return tf.tidy(() => {
        const t = tables(x);
        let f = select(t[0]!, selections[0]!);
        for (let k = 1; k < dim; k++) f = tf.mul(f, select(t[k]!, selections[k]!));
        return f as tf.Tensor2D;
      });
    },
    weights: () => tf.tensor1d(tau),
  };
  // G = Σ_i α_i H_i + β_i H_i²: ∂G/∂x_k = Σ_i (α_i + 2β_i H_i) ∂_k H_i / scale_k, where ∂_k H_a
  // replaces the factor h_{a_k}(u_k) by √(a_k) h_{a_k − 1}(u_k).
  registerFeatureRowGradient(family, (a, alpha, beta) =>
    tf.tidy(() => {
      const t = tables(a);
      const factors = t.map((tk, k) => select(tk, selections[k]!));
      const value = factors.reduce((p, f) => tf.mul(p, f));
      const coef = tf.add(alpha, tf.mul(value, tf.mul(beta, 2)));
      const columns = t.map((tk, k) => {
        let d = select(tk, derivativeSelections[k]!);
        for (let l = 0; l < dim; l++) if (l !== k) d = tf.mul(d, factors[l]!);
        return tf.mul(tf.sum(tf.mul(coef, d), 1, true), inverseScale[k]!);
      });
      return tf.concat(columns, 1) as tf.Tensor2D;
    }),
  );
  return family;
}
