// Float64 host utilities for tests: samples, reference formulas and finite differences.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';

export type Rows = number[][];

/** n points of N(mean, std² I) in d dims, from a seeded stream. */
export function gaussianRows(seed: number, n: number, mean: number[], std: number | number[]): Rows {
  const d = mean.length;
  const z = createRng(seed).normalArray(n * d);
  const s = typeof std === 'number' ? mean.map(() => std) : std;
  return Array.from({ length: n }, (_, i) => mean.map((mu, k) => mu + s[k]! * z[i * d + k]!));
}

export function toTensor(rows: Rows): tf.Tensor2D {
  return tf.tensor2d(rows, [rows.length, rows[0]!.length], 'float32');
}

export function scalarValue(t: tf.Tensor): number {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

export function dist2(a: number[], b: number[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k]! - b[k]!) ** 2;
  return s;
}

/** Σ_{i,j} h(a_i, b_j) (self: skip i = j when `offDiagonal`). */
export function pairSum(a: Rows, b: Rows, h: (u: number[], v: number[]) => number, offDiagonal = false): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) if (!(offDiagonal && i === j)) s += h(a[i]!, b[j]!);
  }
  return s;
}

/** Host MMD² / energy-type statistic: cross weight −2 for kernels. */
export function hostMmd(x: Rows, y: Rows, k: (u: number[], v: number[]) => number, unbiased: boolean): number {
  const n = x.length;
  const m = y.length;
  const px = unbiased ? n * (n - 1) : n * n;
  const py = unbiased ? m * (m - 1) : m * m;
  return pairSum(x, x, k, unbiased) / px + pairSum(y, y, k, unbiased) / py - (2 * pairSum(x, y, k)) / (n * m);
}

/** Central finite-difference gradient of f at rows x (Float64, step h). */
export function finiteDifference(f: (x: Rows) => number, x: Rows, h = 1e-5): Rows {
  return x.map((row, i) =>
    row.map((_, k) => {
      const plus = x.map((r) => [...r]);
      const minus = x.map((r) => [...r]);
      plus[i]![k]! += h;
      minus[i]![k]! -= h;
      return (f(plus) - f(minus)) / (2 * h);
    }),
  );
}

/** max |a − b| / max(|b|∞, floor) over all entries. */
export function relativeError(a: Rows, b: Rows, floor = 1e-8): number {
  let num = 0;
  let den = floor;
  for (let i = 0; i < a.length; i++) {
    for (let k = 0; k < a[i]!.length; k++) {
      num = Math.max(num, Math.abs(a[i]![k]! - b[i]![k]!));
      den = Math.max(den, Math.abs(b[i]![k]!));
    }
  }
  return num / den;
}

/** Gradient of a tensor function with respect to its first argument, as rows. */
export function gradientRows(f: (x: tf.Tensor2D) => tf.Scalar, x: Rows): Rows {
  const xt = toTensor(x);
  const g = tf.grad((t: tf.Tensor) => f(t as tf.Tensor2D))(xt);
  const out = g.arraySync() as Rows;
  tf.dispose([xt, g]);
  return out;
}
