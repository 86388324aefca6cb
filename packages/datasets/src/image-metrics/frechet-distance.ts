// Fréchet distance between two Gaussians, the formula of FID (Heusel et al. 2017, eq. 6;
// Dowson & Landau 1982): d² = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}),
// which is W₂² between N(μ₁, Σ₁) and N(μ₂, Σ₂). Float64 on the host; symmetric square roots by
// Jacobi eigendecomposition (no complex part to drop, unlike scipy.linalg.sqrtm on Σ₁Σ₂).
import { symmetricEigen } from '@pfm/core';

/** A Gaussian by its moments: mean `[d]` and covariance (row-major d×d, symmetric PSD). */
export interface GaussianMomentsInput {
  mean: ArrayLike<number>;
  covariance: ArrayLike<number>;
}

/** Eigendecomposition of a PSD matrix with eigenvalues clipped at 0 (rounding makes tiny ones negative). */
function psdEigen(matrix: ArrayLike<number>, d: number, name: string): { values: Float64Array; vectors: Float64Array } {
  const { values, vectors } = symmetricEigen(matrix, d, { name });
  for (let k = 0; k < d; k++) values[k] = Math.max(values[k]!, 0);
  return { values, vectors };
}

/**
 * The squared Fréchet (2-Wasserstein) distance between N(μ₁, Σ₁) and N(μ₂, Σ₂):
 * ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}, computed as
 * S = Σ₁^{1/2} = V diag(√λ) Vᵀ, then tr (S Σ₂ S)^{1/2} = Σₖ √max(λₖ(S Σ₂ S), 0).
 * Symmetric in its two arguments up to rounding; 0 for equal Gaussians. Throws a RangeError when
 * the dimensions disagree or a covariance is not symmetric.
 */
export function frechetDistance(a: GaussianMomentsInput, b: GaussianMomentsInput): number {
  const d = a.mean.length;
  if (b.mean.length !== d) throw new RangeError(`frechetDistance: means of dimension ${d} and ${b.mean.length}, expected the same`);
  if (a.covariance.length !== d * d) throw new RangeError(`frechetDistance: first covariance has ${a.covariance.length} entries, expected ${d}×${d} = ${d * d}`);
  if (b.covariance.length !== d * d) throw new RangeError(`frechetDistance: second covariance has ${b.covariance.length} entries, expected ${d}×${d} = ${d * d}`);
  // Σ₂ is only multiplied, never decomposed: check it here as symmetricEigen checks Σ₁.
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const upper = b.covariance[i * d + j]!;
      const lower = b.covariance[j * d + i]!;
      if (!(Math.abs(upper - lower) <= 1e-9 * (Math.abs(upper) + Math.abs(lower) + Number.MIN_VALUE))) {
        throw new RangeError(`frechetDistance: second covariance: not symmetric at [${i}][${j}] (${upper} vs ${lower})`);
      }
    }
  }
  let meanTerm = 0;
  for (let j = 0; j < d; j++) meanTerm += (a.mean[j]! - b.mean[j]!) ** 2;
  let traces = 0;
  for (let j = 0; j < d; j++) traces += a.covariance[j * d + j]! + b.covariance[j * d + j]!;
  // S = Σ₁^{1/2}.
  const first = psdEigen(a.covariance, d, 'frechetDistance: first covariance');
  const root = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += first.vectors[i * d + k]! * Math.sqrt(first.values[k]!) * first.vectors[j * d + k]!;
      root[i * d + j] = s;
      root[j * d + i] = s;
    }
  }
  // M = S Σ₂ S (symmetric PSD): T = Σ₂ S, then M = S T.
  const t = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += b.covariance[i * d + k]! * root[k * d + j]!;
      t[i * d + j] = s;
    }
  }
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += root[i * d + k]! * t[k * d + j]!;
      m[i * d + j] = s;
    }
  }
  // Symmetrise exactly (the two triangles differ by rounding only).
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) m[i * d + j] = m[j * d + i]!;
  const { values } = psdEigen(m, d, 'frechetDistance: Σ₁^{1/2} Σ₂ Σ₁^{1/2}');
  let traceRoot = 0;
  for (let k = 0; k < d; k++) traceRoot += Math.sqrt(values[k]!);
  return meanTerm + traces - 2 * traceRoot;
}
