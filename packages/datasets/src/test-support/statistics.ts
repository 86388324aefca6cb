// Test helpers: draw points as plain arrays and compare empirical laws with their formulas.
// Thresholds are the 0.999 quantiles, so a correct generator fails a check at a given seed with
// probability ≤ 1e-3; the seeds are fixed, so the outcome is deterministic.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Measure } from '@pfm/core';

/** Draws `n` points of `measure` with `createRng(seed)`; returns `[n, dim]` row-major. */
export function draw(measure: Measure, n: number, seed: number): Float32Array {
  const t = measure.sample(n, createRng(seed));
  try {
    expectShape(t, [n, measure.dim]);
    return Float32Array.from(t.dataSync());
  } finally {
    t.dispose();
  }
}

function expectShape(t: tf.Tensor, shape: number[]): void {
  if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
    throw new Error(`expected shape [${shape.join(', ')}], got [${t.shape.join(', ')}]`);
  }
}

/** Column `j` of a row-major table with `cols` columns. */
export function column(values: Float32Array, cols: number, j: number): Float64Array {
  const n = values.length / cols;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i * cols + j]!;
  return out;
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

export function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return s / (xs.length - 1);
}

export function rms(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]! ** 2;
  return Math.sqrt(s / xs.length);
}

/** Pearson's statistic Σ (O − E)²/E against equal expected counts. */
export function chiSquareUniform(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
}

/** 0.999 quantiles of χ²_df. */
export const CHI2_999: Record<number, number> = { 1: 10.83, 2: 13.82, 3: 16.27, 4: 18.47, 7: 24.32, 11: 31.26 };

/** Kolmogorov–Smirnov statistic sup |F_n − F| of `xs` against the CDF `cdf`. */
export function ksStatistic(xs: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(xs).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** 0.999 critical value of the KS statistic for n points (asymptotic: 1.949/√n). */
export function ksCritical(n: number): number {
  return 1.949 / Math.sqrt(n);
}

/** |p̂ − p| bound for a binomial proportion at 4 standard errors. */
export function proportionTolerance(p: number, n: number): number {
  return 4 * Math.sqrt((p * (1 - p)) / n);
}

/** Standard normal CDF (erf by Abramowitz & Stegun 7.1.26, |ε| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Angle wrapped into (−period/2, period/2]. */
export function wrap(angle: number, period: number): number {
  return angle - period * Math.round(angle / period);
}

/** log density of `measure` at the given rows, as numbers. */
export function logProbAt(measure: Measure, rows: number[][]): number[] {
  const x = tf.tensor2d(rows);
  const lp = measure.logProb!(x);
  const out = Array.from(lp.dataSync());
  x.dispose();
  lp.dispose();
  return out;
}

/**
 * ∫ exp(logProb) over the box [lo, hi]^dim by the midpoint rule with `cells` cells per axis
 * (dim 1 or 2), evaluated in chunks to bound memory.
 */
export function gridIntegral(measure: Measure, lo: number, hi: number, cells: number): number {
  const h = (hi - lo) / cells;
  const dim = measure.dim;
  const total = dim === 1 ? cells : cells * cells;
  const chunk = 65536;
  let sum = 0;
  for (let start = 0; start < total; start += chunk) {
    const m = Math.min(chunk, total - start);
    const pts = new Float32Array(m * dim);
    for (let k = 0; k < m; k++) {
      const idx = start + k;
      if (dim === 1) pts[k] = lo + (idx + 0.5) * h;
      else {
        pts[2 * k] = lo + ((idx % cells) + 0.5) * h;
        pts[2 * k + 1] = lo + (Math.floor(idx / cells) + 0.5) * h;
      }
    }
    const x = tf.tensor2d(pts, [m, dim]);
    const p = tf.tidy(() => tf.sum(tf.exp(measure.logProb!(x))));
    sum += p.dataSync()[0]!;
    x.dispose();
    p.dispose();
  }
  return sum * h ** dim;
}

/** Distance from (x, y) to the polyline through `curve` (row-major [m, 2]), brute force. */
export function distanceToPolyline(x: number, y: number, curve: Float64Array): number {
  let best = Infinity;
  for (let k = 0; k + 3 < curve.length; k += 2) {
    const ax = curve[k]!;
    const ay = curve[k + 1]!;
    const bx = curve[k + 2]!;
    const by = curve[k + 3]!;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const s = len2 > 0 ? Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / len2)) : 0;
    const d = Math.hypot(x - ax - s * dx, y - ay - s * dy);
    if (d < best) best = d;
  }
  return best;
}

/** Samples the curve t ↦ f(t) at m + 1 evenly spaced t in [t0, t1], row-major [m + 1, 2]. */
export function polyline(f: (t: number) => [number, number], t0: number, t1: number, m: number): Float64Array {
  const out = new Float64Array(2 * (m + 1));
  for (let k = 0; k <= m; k++) {
    const [a, b] = f(t0 + ((t1 - t0) * k) / m);
    out[2 * k] = a;
    out[2 * k + 1] = b;
  }
  return out;
}
