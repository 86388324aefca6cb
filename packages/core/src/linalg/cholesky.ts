// Small dense linear algebra in float64 on the host, for covariance matrices of measures
// (d is the data dimension, small): Cholesky Σ = L Lᵀ and the inverse of a triangular L.

/** Lower-triangular L with Σ = L Lᵀ; `cov` is row-major d×d. Throws if Σ is not positive definite. */
export function cholesky(cov: ArrayLike<number>, d: number, name = 'covariance'): Float64Array {
  if (cov.length !== d * d) throw new RangeError(`${name}: expected ${d}×${d} = ${d * d} entries, got ${cov.length}`);
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (Math.abs(cov[i * d + j]! - cov[j * d + i]!) > 1e-9 * (1 + Math.abs(cov[i * d + j]!))) {
        throw new RangeError(`${name}: not symmetric at [${i}][${j}]`);
      }
    }
  }
  for (let j = 0; j < d; j++) {
    let s = cov[j * d + j]!;
    for (let k = 0; k < j; k++) s -= L[j * d + k]! ** 2;
    if (!(s > 0)) throw new RangeError(`${name}: not positive definite (pivot ${j} is ${s})`);
    const ljj = Math.sqrt(s);
    L[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = cov[i * d + j]!;
      for (let k = 0; k < j; k++) t -= L[i * d + k]! * L[j * d + k]!;
      L[i * d + j] = t / ljj;
    }
  }
  return L;
}

/** Inverse of a lower-triangular matrix (forward substitution on the identity). */
export function invertLowerTriangular(L: Float64Array, d: number): Float64Array {
  const inv = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    for (let i = 0; i < d; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i * d + k]! * inv[k * d + c]!;
      inv[i * d + c] = s / L[i * d + i]!;
    }
  }
  return inv;
}
