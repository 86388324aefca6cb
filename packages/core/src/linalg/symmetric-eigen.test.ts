import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** A random symmetric d×d matrix B + Bᵀ with B standard normal (seeded). */
function randomSymmetric(d: number, seed: number): Float64Array {
  const b = createRng(seed).normalArray(d * d);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j] = b[i * d + j]! + b[j * d + i]!;
  return a;
}

describe('symmetricEigen', () => {
  it('matches the closed form of a 2×2 matrix and of a diagonal one', () => {
    // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, −1)/√2 and (1, 1)/√2.
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0]! * vectors[2]!).toBeCloseTo(-0.5, 14);
    expect(vectors[1]! * vectors[3]!).toBeCloseTo(0.5, 14);
    const diagonal = symmetricEigen([5, 0, 0, 0, -1, 0, 0, 0, 2], 3);
    expect(Array.from(diagonal.values)).toEqual([-1, 2, 5]);
    expect(diagonal.sweeps).toBe(0);
  });

  it('reconstructs A = V diag(λ) Vᵀ with orthonormal V for an 84×84 matrix, eigenvalues ascending', () => {
    const d = 84;
    const a = randomSymmetric(d, 3);
    const { values, vectors: v, sweeps } = symmetricEigen(a, d);
    expect(sweeps).toBeLessThan(20);
    let scale = 0;
    for (const x of a) scale = Math.max(scale, Math.abs(x));
    let reconstruction = 0;
    let orthogonality = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let r = 0;
        let o = 0;
        for (let k = 0; k < d; k++) {
          r += v[i * d + k]! * values[k]! * v[j * d + k]!;
          o += v[k * d + i]! * v[k * d + j]!;
        }
        reconstruction = Math.max(reconstruction, Math.abs(r - a[i * d + j]!));
        orthogonality = Math.max(orthogonality, Math.abs(o - (i === j ? 1 : 0)));
      }
    }
    // float64: a few hundred ulps of ‖A‖ after ~10 sweeps of d² rotations.
    expect(reconstruction / scale).toBeLessThan(1e-12);
    expect(orthogonality).toBeLessThan(1e-12);
    for (let k = 1; k < d; k++) expect(values[k]!).toBeGreaterThanOrEqual(values[k - 1]!);
    // The trace is the sum of the eigenvalues.
    let trace = 0;
    for (let i = 0; i < d; i++) trace += a[i * d + i]!;
    expect(values.reduce((s, x) => s + x, 0)).toBeCloseTo(trace, 9);
  });

  it('finds the zero eigenvalues of a rank-deficient covariance', () => {
    // Σ = u uᵀ + w wᵀ in 4-D: rank 2, eigenvalues 0, 0 and those of the 2×2 Gram [[u·u, u·w], [w·u, w·w]].
    const u = [1, 2, 0, -1];
    const w = [0, 1, 1, 1];
    const a = new Float64Array(16);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) a[i * 4 + j] = u[i]! * u[j]! + w[i]! * w[j]!;
    const { values } = symmetricEigen(a, 4);
    // Gram [[6, 1], [1, 3]]: (9 ± √13) / 2.
    expect(values[0]).toBeCloseTo(0, 13);
    expect(values[1]).toBeCloseTo(0, 13);
    expect(values[2]).toBeCloseTo((9 - Math.sqrt(13)) / 2, 13);
    expect(values[3]).toBeCloseTo((9 + Math.sqrt(13)) / 2, 13);
  });

  it('rejects a wrong length, a non-finite entry and an asymmetric matrix, naming the matrix', () => {
    expect(() => symmetricEigen([1, 2, 3], 2, { name: 'cov' })).toThrow(/cov: expected 2×2 = 4 entries, got 3/);
    expect(() => symmetricEigen([1, NaN, NaN, 1], 2)).toThrow(/matrix: entry \[0\]\[1\] is NaN, expected a finite number/);
    expect(() => symmetricEigen([1, 2, 3, 1], 2, { name: 'cov' })).toThrow(/cov: not symmetric at \[0\]\[1\] \(2 vs 3\)/);
    expect(() => symmetricEigen(randomSymmetric(30, 1), 30, { maxSweeps: 1 })).toThrow(/did not converge in 1 sweeps/);
  });
});
