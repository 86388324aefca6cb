// The rational-quadratic spline: monotone, continuous at bin edges, identity in the tails,
// derivative = its claimed log|dy/dx|, inverse by the quadratic, identity at zero parameters.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { rationalQuadraticSpline } from './rational-quadratic-spline.js';

const K = 6;
const B = 2;
const raw = createRng(5);
// One spline (n = 1 row, m = 1 coordinate) with fixed random parameters, broadcast over rows.
const wRaw = raw.fold(1).normalArray(K).map((v) => 1.5 * v);
const hRaw = raw.fold(2).normalArray(K).map((v) => 1.5 * v);
const dRaw = raw.fold(3).normalArray(K - 1).map((v) => 1.5 * v);

function spline(xs: number[], inverse = false): { y: number[]; logDet: number[] } {
  return tf.tidy(() => {
    const n = xs.length;
    const tile = (v: Float32Array, k: number) => tf.tile(tf.tensor3d(v, [1, 1, k]), [n, 1, 1]) as tf.Tensor3D;
    const [y, ld] = rationalQuadraticSpline(tf.tensor2d(xs, [n, 1]), tile(wRaw, K), tile(hRaw, K), tile(dRaw, K - 1), { tailBound: B, inverse });
    return { y: Array.from(y.dataSync()), logDet: Array.from(ld.dataSync()) };
  });
}

/** Knot x positions in float64, as the spline builds them (softmax, min width 1e-3, scaled to [−B, B]). */
function knotsOf(rawSizes: Float32Array): number[] {
  const e = Array.from(rawSizes, (v) => Math.exp(v));
  const s = e.reduce((a, b) => a + b, 0);
  const p = e.map((v) => 1e-3 + (1 - 1e-3 * K) * (v / s));
  const out = [-B];
  let c = 0;
  for (let i = 0; i < K - 1; i++) {
    c += p[i]!;
    out.push(-B + 2 * B * c);
  }
  out.push(B);
  return out;
}

describe('rationalQuadraticSpline', () => {
  it('is strictly increasing on a fine grid across [−B, B] and beyond', () => {
    const xs = Array.from({ length: 801 }, (_, i) => -3 + (6 * i) / 800);
    const { y } = spline(xs);
    for (let i = 1; i < y.length; i++) expect(y[i]!).toBeGreaterThan(y[i - 1]!);
  });

  it('is continuous at every bin edge (jump ≤ slope × step + float32 error)', () => {
    const knots = knotsOf(wRaw);
    const eps = 1e-4;
    const left = spline(knots.map((k) => k - eps)).y;
    const right = spline(knots.map((k) => k + eps)).y;
    const { logDet } = spline(knots);
    knots.forEach((_, i) => {
      // A continuous y changes by about y'·2ε across the knot; a jump would be O(1).
      const slope = Math.exp(logDet[i]!);
      expect(Math.abs(right[i]! - left[i]!)).toBeLessThan(slope * 2 * eps * 1.5 + 1e-5);
    });
    // The end knots map to ±B (so the tails join without a jump).
    const ends = spline([-B, B]).y;
    expect(ends[0]).toBeCloseTo(-B, 5);
    expect(ends[1]).toBeCloseTo(B, 5);
  });

  it('is the identity (log-det 0) outside [−B, B]', () => {
    const xs = [-10, -3.5, -2.0001, 2.0001, 2.7, 50];
    const { y, logDet } = spline(xs);
    xs.forEach((x, i) => {
      expect(y[i]).toBe(Math.fround(x)); // bit-exact: the tails pass the float32 input through
      expect(logDet[i]).toBe(0);
    });
  });

  it('log|dy/dx| matches a central finite difference (float32: step 1e-2, 2% tolerance)', () => {
    const xs = Array.from({ length: 23 }, (_, i) => -1.9 + (3.8 * i) / 22);
    const h = 1e-2;
    const up = spline(xs.map((x) => x + h)).y;
    const down = spline(xs.map((x) => x - h)).y;
    const { logDet } = spline(xs);
    xs.forEach((_, i) => {
      const fd = (up[i]! - down[i]!) / (2 * h);
      expect(Math.abs(Math.exp(logDet[i]!) - fd)).toBeLessThan(0.02 * fd + 1e-3);
    });
  });

  it('the inverse (root of the quadratic) undoes the forward map and negates its log-det', () => {
    const xs = Array.from({ length: 41 }, (_, i) => -2.5 + (5 * i) / 40);
    const fwd = spline(xs);
    const inv = spline(fwd.y, true);
    xs.forEach((x, i) => {
      expect(Math.abs(inv.y[i]! - x)).toBeLessThan(2e-5);
      expect(Math.abs(inv.logDet[i]! + fwd.logDet[i]!)).toBeLessThan(1e-4);
    });
  });

  it('with all-zero parameters it is the identity (uniform bins, unit derivatives)', () => {
    const xs = [-1.5, -0.3, 0, 0.77, 1.9];
    const [y, ld] = tf.tidy(() => {
      const n = xs.length;
      return rationalQuadraticSpline(tf.tensor2d(xs, [n, 1]), tf.zeros([n, 1, K]), tf.zeros([n, 1, K]), tf.zeros([n, 1, K - 1]), { tailBound: B });
    });
    const yv = y.dataSync();
    const lv = ld.dataSync();
    xs.forEach((x, i) => {
      expect(yv[i]).toBeCloseTo(x, 5);
      expect(lv[i]).toBeCloseTo(0, 5);
    });
    tf.dispose([y, ld]);
  });

  it('rejects parameters of the wrong shape, naming the argument', () => {
    expect(() =>
      tf.tidy(() => rationalQuadraticSpline(tf.zeros([2, 1]), tf.zeros([2, 1, 4]), tf.zeros([2, 1, 3]), tf.zeros([2, 1, 3]), { tailBound: 1 })),
    ).toThrow(/heights has shape \[2, 1, 3\], expected \[2, 1, 4\]/);
  });
});
