// Sample mean and covariance of feature rows in float64 on the host (numpy.cov convention,
// divisor n − 1), the Gaussian fitted to a feature cloud by FID (Heusel et al. 2017, §3).

/** Mean `[d]` and covariance (row-major d×d) of a feature cloud, in float64. */
export interface FeatureMoments {
  /** Feature dimension d. */
  dim: number;
  /** Number of rows the moments were computed from. */
  count: number;
  mean: Float64Array;
  covariance: Float64Array;
}

/**
 * Mean μ = (1/n) Σᵢ fᵢ and unbiased covariance Σ = (1/(n−1)) Σᵢ (fᵢ − μ)(fᵢ − μ)ᵀ of `n` rows of
 * `d` features (`features` row-major, float32 or float64), accumulated in float64. Needs n ≥ 2.
 */
export function featureMoments(features: ArrayLike<number>, n: number, d: number, name = 'features'): FeatureMoments {
  if (features.length !== n * d) throw new RangeError(`${name}: expected ${n}×${d} = ${n * d} values, got ${features.length}`);
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`${name}: needs at least 2 rows for a covariance, got ${n}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + features[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
  const covariance = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = features[i * d + j]! - mean[j]!;
    for (let j = 0; j < d; j++) {
      const cj = centred[j]!;
      if (cj === 0) continue;
      for (let k = j; k < d; k++) covariance[j * d + k] = covariance[j * d + k]! + cj * centred[k]!;
    }
  }
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      const c = covariance[j * d + k]! / (n - 1);
      covariance[j * d + k] = c;
      covariance[k * d + j] = c;
    }
  }
  return { dim: d, count: n, mean, covariance };
}
