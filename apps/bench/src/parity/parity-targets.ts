// Held-out targets of the parity suite, in any dimension d ≥ 2, none of them a data set the
// library was tuned on:
//   mixture:  six Gaussians of std 0.3, means 2·N(0, I_d) (fixed per d), equal weights;
//   banana:   pairs (u, v) ~ N(0, I₂) warped to (1.5u, 0.5v + 0.6(u² − 1)) (Haario et al. 1999's
//             twisted Gaussian), then a fixed rotation of R^d, so no coordinate axis is special;
//   manifold: the trefoil knot c(s) = (sin s + 2 sin 2s, cos s − 2 cos 2s, −sin 3s)/2, s ~ U(0, 2π),
//             a closed curve placed in R^d by a fixed isometry (the first two coordinates in 2-D),
//             plus N(0, 0.05² I_d) noise: a one-dimensional set in d dimensions.
// The shape of a target (means, rotation, embedding) depends only on (name, d); the sample on the seed.
import { createRng, type Rng } from '@pfm/core';

export const PARITY_TARGETS = ['mixture', 'banana', 'manifold'] as const;
export type ParityTarget = (typeof PARITY_TARGETS)[number];

/** Component std and mean scale of `mixture`, and its number of components. */
export const MIXTURE = { components: 6, std: 0.3, meanScale: 2 } as const;
/** Noise std around the `manifold` curve. */
export const MANIFOLD_NOISE = 0.05;

/** Key of the fixed shape of a target in dimension d (independent of every run seed). */
function shapeRng(target: ParityTarget, dim: number): Rng {
  return createRng(2311).fold(PARITY_TARGETS.indexOf(target)).fold(dim);
}

/** The `MIXTURE.components` means of `mixture` in dimension `dim`, row-major `[6, dim]`. */
export function mixtureMeans(dim: number): Float32Array {
  return shapeRng('mixture', dim).normalArray(MIXTURE.components * dim).map((v) => v * MIXTURE.meanScale);
}

/**
 * `[rows, cols]` matrix with orthonormal rows (Gram–Schmidt of Gaussian rows; rows ≤ cols),
 * row-major: a fixed isometry R^rows → R^cols, x ↦ x Q.
 */
export function orthonormalRows(rows: number, cols: number, rng: Rng): Float64Array {
  if (rows > cols) throw new RangeError(`orthonormalRows: ${rows} rows cannot be orthonormal in R^${cols}`);
  const q = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (;;) {
      const row = Float64Array.from(rng.normalArray(cols));
      for (let k = 0; k < i; k++) {
        let dot = 0;
        for (let j = 0; j < cols; j++) dot += row[j]! * q[k * cols + j]!;
        for (let j = 0; j < cols; j++) row[j]! -= dot * q[k * cols + j]!;
      }
      const norm = Math.hypot(...row);
      if (norm < 1e-6) continue;
      for (let j = 0; j < cols; j++) q[i * cols + j] = row[j]! / norm;
      break;
    }
  }
  return q;
}

/** `y = x Q` for rows of `x` (`[n, rows]`) with `q` `[rows, cols]`. */
function applyRows(x: Float64Array, n: number, q: Float64Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(n * cols);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < rows; k++) {
      const v = x[i * rows + k]!;
      if (v === 0) continue;
      for (let j = 0; j < cols; j++) out[i * cols + j]! += v * q[k * cols + j]!;
    }
  }
  return out;
}

/** `n` points of `target` in dimension `dim` (row-major `[n, dim]`), drawn from `rng`. */
export function sampleTarget(target: ParityTarget, dim: number, n: number, rng: Rng): Float32Array {
  if (!Number.isInteger(dim) || dim < 2) throw new RangeError(`parity target ${target}: dimension must be an integer ≥ 2, got ${dim}`);
  switch (target) {
    case 'mixture': {
      const means = mixtureMeans(dim);
      const noise = rng.fold(1).normalArray(n * dim);
      const which = rng.fold(0);
      const out = new Float32Array(n * dim);
      for (let i = 0; i < n; i++) {
        const k = which.int(MIXTURE.components);
        for (let j = 0; j < dim; j++) out[i * dim + j] = means[k * dim + j]! + MIXTURE.std * noise[i * dim + j]!;
      }
      return out;
    }
    case 'banana': {
      const z = rng.normalArray(n * dim);
      const warped = new Float64Array(n * dim);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < dim; j++) warped[i * dim + j] = z[i * dim + j]!;
        for (let j = 0; j + 1 < dim; j += 2) {
          const u = z[i * dim + j]!;
          warped[i * dim + j] = 1.5 * u;
          warped[i * dim + j + 1] = 0.5 * z[i * dim + j + 1]! + 0.6 * (u * u - 1);
        }
      }
      return applyRows(warped, n, orthonormalRows(dim, dim, shapeRng('banana', dim)), dim, dim);
    }
    case 'manifold': {
      const s = rng.fold(0).uniformArray(n, 0, 2 * Math.PI);
      const lift = Math.min(3, dim);
      const curve = new Float64Array(n * lift);
      for (let i = 0; i < n; i++) {
        const a = s[i]!;
        const c = [(Math.sin(a) + 2 * Math.sin(2 * a)) / 2, (Math.cos(a) - 2 * Math.cos(2 * a)) / 2, -Math.sin(3 * a) / 2];
        for (let j = 0; j < lift; j++) curve[i * lift + j] = c[j]!;
      }
      const out =
        dim === 2 ? Float32Array.from(curve) : applyRows(curve, n, orthonormalRows(lift, dim, shapeRng('manifold', dim)), lift, dim);
      const noise = rng.fold(1).normalArray(n * dim);
      for (let i = 0; i < out.length; i++) out[i]! += MANIFOLD_NOISE * noise[i]!;
      return out;
    }
  }
}
