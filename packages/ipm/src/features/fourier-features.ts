// Fourier test functions on the torus (R/LZ)^d: f_k(x) = e^{2πi k·x/L}, k ∈ Z^d, 0 < ‖k‖_∞ ≤ K,
// one of each pair ±k (|⟨f_{−k}|μ⟩| = |⟨f_k|μ⟩|), weights τ_k = 2 (2π‖k‖)^{−2s}: D₂² is then the
// truncated Sobolev norm ‖μ − ν‖²_{Ḣ^{−s}} of x/L on [0, 1)^d (Cabannes & Arnal 2023, Fig. 1).
import { z } from 'zod';
import { vectorsSchema, weightsSchema } from '../plugin/schema-parts.js';
import type { FamilyDimension } from './family-dimension.js';
import type { TrigonometricFamily } from './trigonometric-family.js';
import { trigonometricFamily } from './trigonometric-family.js';
import { checkDim, checkFamilyArrays } from './check-family-arrays.js';

/** JSON-able options of {@link fourierFeatures} (and of the `fourier` family and discrepancy entries): the one place they are written. */
export const fourierFeaturesSchema = z.strictObject({
  /** K: every integer frequency with 0 < ‖k‖_∞ ≤ K (half of them, by symmetry). Default 8. */
  maxFrequency: z.number().int().positive().default(8),
  /** L: the period; features are e^{2πi k·x/L}. Default 1. */
  period: z.number().positive().default(1),
  /** s in τ_k = 2 (2π‖k‖)^{−2s}. Default 1 (d = 1: D₂² → ∫₀¹ (F_μ − F_ν − c)², Cramér–von Mises on the circle). */
  smoothness: z.number().positive().default(1),
  /** Explicit frequencies k (in cycles per period), `[M][d]`; replaces the grid. */
  frequencies: vectorsSchema.optional(),
  /** Explicit τ_k, `[M]`; default from `smoothness`. */
  weights: weightsSchema.optional(),
});

/** Options of {@link fourierFeatures}: the schema's fields, every one optional, and `dim`. */
export type FourierFeaturesOptions = z.input<typeof fourierFeaturesSchema> & FamilyDimension;

/** Largest number of grid frequencies accepted (features are evaluated as an [n, 2M] matrix). */
const MAX_FREQUENCIES = 50_000;

/**
 * Fourier family x ↦ e^{2πi k·x/L}: `features(x)` `[n, d]` → `[n, 2M]` (cos and sin parts),
 * `weights()` → `[2M]`. With the defaults, D₂² = Σ_k 2(2π‖k‖)^{−2}|μ̂(k) − ν̂(k)|².
 * Source: Cabannes & Arnal 2023, arXiv 2311.13845, §2 and Fig. 1 (Fourier test functions).
 */
export function fourierFeatures(options: FourierFeaturesOptions): TrigonometricFamily {
  const where = 'fourierFeatures';
  const dim = checkDim(where, options.dim);
  const period = options.period ?? 1;
  if (!(period > 0) || !Number.isFinite(period)) throw new RangeError(`${where}: period must be positive, got ${period}`);
  const s = options.smoothness ?? 1;
  if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`${where}: smoothness must be positive, got ${s}`);
  let ks: number[][];
  if (options.frequencies !== undefined) {
    checkFamilyArrays(where, dim, options.frequencies, options.weights);
    ks = options.frequencies;
    ks.forEach((k, i) => {
      if (k.every((v) => v === 0)) throw new RangeError(`${where}: frequencies[${i}] is the zero vector (a constant feature)`);
    });
  } else {
    const K = options.maxFrequency ?? 8;
    if (!Number.isInteger(K) || K < 1) throw new RangeError(`${where}: maxFrequency must be a positive integer, got ${K}`);
    const count = ((2 * K + 1) ** dim - 1) / 2;
    if (count > MAX_FREQUENCIES) {
      throw new RangeError(
        `${where}: maxFrequency ${K} in dimension ${dim} gives ${count} frequencies, more than ${MAX_FREQUENCIES}; lower maxFrequency or pass frequencies`,
      );
    }
    if (options.weights !== undefined) {
      throw new RangeError(`${where}: weights can only be given together with frequencies`);
    }
    ks = [];
    const k = new Array<number>(dim).fill(-K);
    for (;;) {
      const first = k.find((v) => v !== 0);
      if (first !== undefined && first > 0) ks.push([...k]);
      let j = dim - 1;
      while (j >= 0 && k[j] === K) k[j--] = -K;
      if (j < 0) break;
      k[j] = k[j]! + 1;
    }
  }
  const M = ks.length;
  const frequencies = new Float64Array(M * dim);
  const weights = new Float64Array(M);
  ks.forEach((k, i) => {
    let norm2 = 0;
    k.forEach((v, j) => {
      frequencies[i * dim + j] = (2 * Math.PI * v) / period;
      norm2 += v * v;
    });
    weights[i] = options.weights?.[i] ?? 2 * (4 * Math.PI * Math.PI * norm2) ** -s;
  });
  return trigonometricFamily(dim, frequencies, weights);
}
