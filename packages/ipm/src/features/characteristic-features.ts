// Characteristic-function test functions f_s(x) = e^{i s·x}, s ~ τ, so D₂² = ∫|φ_μ(s) − φ_ν(s)|² τ(ds).
// 'energy': τ(ds) = |s|^{−(d+1)} ds / c_d (improper), estimated by importance sampling from the
// Cauchy-type law s = Rθ, θ uniform on S^{d−1}, R half-Cauchy(σ): then D₂² → the energy distance.
import type { Rng } from '@pfm/core';
import { z } from 'zod';
import { vectorsSchema, weightsSchema } from '../plugin/schema-parts.js';
import { checkDim, checkFamilyArrays } from './check-family-arrays.js';
import { halfGammaRatio } from './energy-constant.js';
import type { FamilyDimension } from './family-dimension.js';
import { trigonometricFamily, type TrigonometricFamily } from './trigonometric-family.js';

/** JSON-able options of {@link characteristicFeatures} (and of the `characteristic` family and discrepancy entries): the one place they are written. */
export const characteristicFeaturesSchema = z.strictObject({
  /** M, the number of random frequencies. Default 256. */
  count: z.number().int().positive().default(256),
  /**
   * The law τ of the frequencies (default `'energy'`):
   * - `'energy'`: τ(ds) = |s|^{−(d+1)} ds / c_d; D₂² = energy distance 2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖.
   * - `'gaussian'`: s ~ N(0, ℓ⁻² I); D₂² = MMD² with the Gaussian kernel exp(−‖x−y‖²/(2ℓ²)) (Bochner).
   * - `'cauchy'`: s ~ multivariate Cauchy with scale 1/ℓ; D₂² = MMD² with the kernel exp(−‖x−y‖/ℓ).
   */
  law: z.enum(['energy', 'gaussian', 'cauchy']).default('energy'),
  /** ℓ > 0: frequencies are on the scale 1/ℓ (for `'energy'`, the proposal scale σ = 1/ℓ). Default 1. */
  lengthScale: z.number().positive().default(1),
  /** Explicit frequencies s (angular), `[M][d]`; replaces the random draw. */
  frequencies: vectorsSchema.optional(),
  /** Explicit τ_k for explicit frequencies. Default 1/M. */
  weights: weightsSchema.optional(),
});

/** The law τ of the frequencies (see {@link characteristicFeaturesSchema}). */
export type FrequencyLaw = z.output<typeof characteristicFeaturesSchema>['law'];

/** The part of the options of {@link characteristicFeatures} that only code gives: the dimension and the random stream. */
export interface CharacteristicFeaturesContext extends FamilyDimension {
  /** Seeded stream for the frequencies. */
  rng: Rng;
}

/** Options of {@link characteristicFeatures}: the schema's fields, every one optional, `dim` and `rng`. */
export type CharacteristicFeaturesOptions = z.input<typeof characteristicFeaturesSchema> & CharacteristicFeaturesContext;

/**
 * Characteristic-function family x ↦ e^{i s_k·x}, k = 1..M: `features(x)` `[n, d]` → `[n, 2M]`,
 * `weights()` → `[2M]`. Under `'energy'` the frequencies are drawn as s = Rθ, R = σ tan(πU/2)
 * (U stratified on [0, 1)) and weighted by τ(s)/q(s) = √π Γ((d+1)/2)/Γ(d/2) · (σ² + R²)/(σR²) / M,
 * which keeps every Monte Carlo term bounded (|φ_μ − φ_ν|² = O(R²) near 0).
 * Source: Székely & Rizzo 2013 (energy distance as a weighted L² distance of characteristic functions);
 * Rahimi & Recht 2007 (random Fourier features) for the Gaussian and Cauchy laws.
 */
export function characteristicFeatures(options: CharacteristicFeaturesOptions): TrigonometricFamily {
  const where = 'characteristicFeatures';
  const dim = checkDim(where, options.dim);
  if (options.frequencies !== undefined) {
    checkFamilyArrays(where, dim, options.frequencies, options.weights);
    const M = options.frequencies.length;
    const freq = Float64Array.from(options.frequencies.flat());
    const weights = Float64Array.from(options.weights ?? new Array<number>(M).fill(1 / M));
    return trigonometricFamily(dim, freq, weights);
  }
  if (options.weights !== undefined) throw new RangeError(`${where}: weights can only be given together with frequencies`);
  const M = options.count ?? 256;
  if (!Number.isInteger(M) || M < 1) throw new RangeError(`${where}: count must be a positive integer, got ${M}`);
  const law = options.law ?? 'energy';
  if (law !== 'energy' && law !== 'gaussian' && law !== 'cauchy') {
    throw new RangeError(`${where}: law must be "energy", "gaussian" or "cauchy", got ${JSON.stringify(law)}`);
  }
  const l = options.lengthScale ?? 1;
  if (!(l > 0) || !Number.isFinite(l)) throw new RangeError(`${where}: lengthScale must be positive, got ${l}`);
  const rng = options.rng;
  if (!rng || typeof rng.normalArray !== 'function') throw new TypeError(`${where}: rng must be an Rng (createRng(seed))`);

  const freq = new Float64Array(M * dim);
  const weights = new Float64Array(M).fill(1 / M);
  const normals = rng.normalArray(M * dim);
  if (law === 'gaussian') {
    for (let i = 0; i < M * dim; i++) freq[i] = normals[i]! / l;
  } else if (law === 'cauchy') {
    // Multivariate Cauchy (Student t, 1 degree of freedom): s = g/|h|, g ~ N(0, I), h ~ N(0, 1);
    // E e^{i s·u} = e^{−‖u‖}.
    const h = rng.normalArray(M);
    for (let k = 0; k < M; k++) {
      const scale = 1 / (l * Math.max(Math.abs(h[k]!), 1e-30));
      for (let j = 0; j < dim; j++) freq[k * dim + j] = normals[k * dim + j]! * scale;
    }
  } else {
    const sigma = 1 / l;
    const u = rng.uniformArray(M);
    const constant = Math.sqrt(Math.PI) * halfGammaRatio(dim);
    for (let k = 0; k < M; k++) {
      const r = sigma * Math.tan((Math.PI / 2) * ((k + u[k]!) / M));
      let norm = 0;
      for (let j = 0; j < dim; j++) norm += normals[k * dim + j]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < dim; j++) freq[k * dim + j] = (r * normals[k * dim + j]!) / norm;
      weights[k] = r > 0 ? (constant * (sigma * sigma + r * r)) / (sigma * r * r) / M : 0;
    }
  }
  return trigonometricFamily(dim, freq, weights);
}
