import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Kernel } from '@pfm/core';
import { energyDistance } from '../energy/energy-distance.js';
import type { AdaptiveKernel } from '../kernels/adaptive-kernel.js';
import { distanceKernel } from '../kernels/distance-kernel.js';
import { gaussianKernel } from '../kernels/gaussian-kernel.js';
import { inverseMultiquadricKernel } from '../kernels/inverse-multiquadric-kernel.js';
import { laplaceKernel } from '../kernels/laplace-kernel.js';
import { rationalQuadraticKernel } from '../kernels/rational-quadratic-kernel.js';
import { mmd } from '../mmd/mmd.js';
import { dist2, finiteDifference, gaussianRows, hostMmd, relativeError, scalarValue, toTensor, type Rows } from '../test-support/host.js';
import { fusedPairSum } from './fused-pair-sum.js';
import { powerProfile } from './power-profile.js';
import type { RadialProfile } from './radial-profile.js';

type Discrepancy = (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Scalar;

/** Value and the gradients in x and y of D(x, y), as host numbers and rows. */
function valueAndGrads(f: Discrepancy, xr: Rows, yr: Rows): { value: number; gx: Rows; gy: Rows } {
  const x = toTensor(xr);
  const y = toTensor(yr);
  const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => f(a as tf.Tensor2D, b as tf.Tensor2D))([x, y]);
  const out = { value: value.dataSync()[0]!, gx: grads[0]!.arraySync() as Rows, gy: grads[1]!.arraySync() as Rows };
  tf.dispose([x, y, value, ...grads]);
  return out;
}

/**
 * Fused and composed paths agree: values within `valueTol` (absolute, on O(1) sums: the composed
 * float32 ‖a‖² + ‖b‖² − 2a·b cancels), gradients within 1e-3 relative (float32 backward).
 */
function expectSamePaths(f: (fused: boolean) => Discrepancy, xr: Rows, yr: Rows, label: string, valueTol = 1e-4): number {
  const fused = valueAndGrads(f(true), xr, yr);
  const composed = valueAndGrads(f(false), xr, yr);
  expect(Math.abs(fused.value - composed.value), label).toBeLessThan(valueTol);
  expect(relativeError(fused.gx, composed.gx), `${label} ∂x`).toBeLessThan(1e-3);
  expect(relativeError(fused.gy, composed.gy), `${label} ∂y`).toBeLessThan(1e-3);
  expect(fused.gx.flat().some((v) => v !== 0), label).toBe(true);
  return fused.value;
}

const norm = (u: number[], v: number[]) => Math.sqrt(dist2(u, v));

function host(rows: Rows): { data: Float64Array; n: number; d: number } {
  return { data: Float64Array.from(rows.flat()), n: rows.length, d: rows[0]!.length };
}

describe('fused pairwise sums', () => {
  it('fusedPairSum equals a Float64 double loop in value and gradient, for every block size and dimension', () => {
    // κ(r²) = (1 + r²)^(−1): smooth, so the analytic gradient 2κ'(r²)(x − y) is the reference.
    const profile: RadialProfile = {
      atZero: 1,
      sum(r2, count, slope) {
        let s = 0;
        for (let k = 0; k < count; k++) {
          const v = 1 / (1 + r2[k]!);
          s += v;
          if (slope) slope[k] = -v * v;
        }
        return s;
      },
    };
    const kappa = (u: number[], v: number[]) => 1 / (1 + dist2(u, v));
    for (const d of [1, 2, 3]) {
      const xr = gaussianRows(20 + d, 9, new Array<number>(d).fill(0), 1);
      const yr = gaussianRows(30 + d, 7, new Array<number>(d).fill(0.5), 1);
      // Reference: ∂/∂x_i Σ_j κ = Σ_j −2κ²(x_i − y_j); self sums over i ≠ j count each pair twice.
      const grad = (a: Rows, b: Rows, self: boolean) =>
        a.map((ai, i) =>
          ai.map((_, c) => b.reduce((s, bj, j) => (self && i === j ? s : s - 2 * kappa(ai, bj) ** 2 * (ai[c]! - bj[c]!) * (self ? 2 : 1)), 0)),
        );
      const crossValue = xr.reduce((s, a) => s + yr.reduce((t, b) => t + kappa(a, b), 0), 0);
      const selfValue = xr.reduce((s, a, i) => s + xr.reduce((t, b, j) => t + (i === j ? 0 : kappa(a, b)), 0), 0);
      for (const block of [1, 3, 7, 100]) {
        const gx = new Float64Array(9 * d);
        const gy = new Float64Array(7 * d);
        const cross = fusedPairSum(host(xr), host(yr), profile, { block, gradient: { scale: 1, gx, gy } });
        expect(cross).toBeCloseTo(crossValue, 12);
        const ref = grad(xr, yr, false);
        expect(Array.from(gx)).toEqual(ref.flat().map((v) => expect.closeTo(v, 12)));
        // ∂/∂y_j = −Σ_i (the same terms): the two gradients sum to zero overall (translation invariance).
        const refY = yr.map((bj) => bj.map((_, c) => xr.reduce((s, ai) => s + 2 * kappa(ai, bj) ** 2 * (ai[c]! - bj[c]!), 0)));
        expect(Array.from(gy)).toEqual(refY.flat().map((v) => expect.closeTo(v, 12)));
        const gs = new Float64Array(9 * d);
        const off = fusedPairSum(host(xr), null, profile, { block, gradient: { scale: 0.5, gx: gs, gy: null } });
        expect(off).toBeCloseTo(selfValue, 12);
        expect(Array.from(gs)).toEqual(grad(xr, xr, true).flat().map((v) => expect.closeTo(0.5 * v, 12)));
        const all = fusedPairSum(host(xr), null, profile, { block, includeDiagonal: true });
        expect(all).toBeCloseTo(selfValue + 9, 12);
      }
    }
  });

  it('the inline 2-D closed forms (norm, Gaussian) equal the generic loop in value and gradient', () => {
    const xr = gaussianRows(35, 13, [0, 0], 1);
    const yr = gaussianRows(36, 11, [0.5, 0], 1);
    xr[3] = yr[2]!.slice(); // a coincident pair: slope 0 on both paths
    const profiles: RadialProfile[] = [powerProfile(1), powerProfile(1, -1), (gaussianKernel({ bandwidth: 0.9 }) as AdaptiveKernel).radialProfile!];
    for (const inline of profiles) {
      expect(inline.closedForm).toBeDefined();
      const generic: RadialProfile = { atZero: inline.atZero, sum: (r2, count, slope) => inline.sum(r2, count, slope) };
      for (const block of [4, 64]) {
        for (const self of [false, true]) {
          const run = (profile: RadialProfile) => {
            const gx = new Float64Array(26);
            const gy = new Float64Array(22);
            const value = fusedPairSum(host(xr), self ? null : host(yr), profile, { block, includeDiagonal: true, gradient: { scale: 0.7, gx, gy } });
            return { value, g: [...gx, ...gy] };
          };
          const a = run(inline);
          const b = run(generic);
          expect(a.value).toBeCloseTo(b.value, 10);
          // fastExp and Math.exp differ by < 3e-10 relative.
          a.g.forEach((v, k) => expect(v).toBeCloseTo(b.g[k]!, 8));
          expect(a.g.some((v) => v !== 0)).toBe(true);
        }
      }
    }
  });

  it('energy distance: fused and composed agree in value and both gradients (estimators, β, d, tiles)', () => {
    const settings = [
      { estimator: 'unbiased', exponent: 1, tileSize: 16 },
      { estimator: 'biased', exponent: 1.5, tileSize: 1024 },
      { estimator: 'unbiased', exponent: 0.7, tileSize: 1024 },
    ] as const;
    for (const d of [1, 2, 3]) {
      const xr = gaussianRows(40 + d, 30, new Array<number>(d).fill(0), 1);
      const yr = gaussianRows(50 + d, 24, new Array<number>(d).fill(0.4), 0.8);
      for (const o of settings) {
        const value = expectSamePaths((fused) => (x, y) => energyDistance(x, y, { ...o, fused }), xr, yr, `d=${d} ${JSON.stringify(o)}`);
        // Against the Float64 host formula: float32 output of a Float64 sum, 1e-6 relative.
        const exact = hostMmd(xr, yr, (u, v) => -(norm(u, v) ** o.exponent), o.estimator === 'unbiased');
        expect(Math.abs(value - exact)).toBeLessThan(1e-6 * Math.abs(exact) + 1e-7);
      }
    }
  });

  it('mmd: fused and composed agree for every built-in kernel (value, gradients in x and y)', () => {
    const kernels: Array<[string, AdaptiveKernel]> = [
      ['gaussian', gaussianKernel({ bandwidth: 1.2 })],
      ['gaussian multi-bandwidth', gaussianKernel({ bandwidth: [0.5, 2], scales: [1, 3] })],
      ['gaussian median', gaussianKernel()],
      ['laplace', laplaceKernel({ bandwidth: 0.8 })],
      ['inverse multiquadric', inverseMultiquadricKernel()],
      ['inverse multiquadric β = −0.8', inverseMultiquadricKernel({ scale: 'median', exponent: -0.8 })],
      ['rational quadratic', rationalQuadraticKernel({ lengthScale: 1 })],
      ['rational quadratic α = 2.5', rationalQuadraticKernel({ alpha: 2.5 })],
      ['distance', distanceKernel()],
      ['distance β = 1.3', distanceKernel({ exponent: 1.3 })],
    ];
    const xr = gaussianRows(61, 25, [0, 0], 1);
    const yr = gaussianRows(62, 20, [0.6, -0.2], 0.7);
    kernels.forEach(([name, kernel], index) => {
      const x = toTensor(xr);
      const y = toTensor(yr);
      // Every built-in kernel, once its median (if any) is fixed, exposes its radial profile.
      expect((kernel.adapt(x, y) as AdaptiveKernel).radialProfile, name).toBeDefined();
      tf.dispose([x, y]);
      const estimator = index % 2 === 0 ? 'unbiased' : 'biased';
      const tileSize = index % 3 === 0 ? 8 : 1024;
      expectSamePaths((fused) => (a, b) => mmd(a, b, { kernel, estimator, tileSize, fused }), xr, yr, `${name} ${estimator} tile ${tileSize}`);
    });
  });

  it('gives coincident points the symmetric subgradient 0 (energy, Laplace): Float64 central differences agree', () => {
    const yr = gaussianRows(70, 6, [0, 0], 1);
    const xr = [yr[0]!.slice(), yr[0]!.slice(), [0.3, -0.2], yr[3]!.slice()];
    const cases: Array<[Discrepancy, (u: number[], v: number[]) => number, boolean]> = [
      [(x, y) => energyDistance(x, y, { fused: true }), (u, v) => -norm(u, v), true],
      [(x, y) => energyDistance(x, y, { fused: true, estimator: 'biased', exponent: 0.5 }), (u, v) => -Math.sqrt(norm(u, v)), false],
      [(x, y) => mmd(x, y, { kernel: laplaceKernel({ bandwidth: 1 }), fused: true }), (u, v) => Math.exp(-norm(u, v)), true],
    ];
    for (const [f, k, unbiased] of cases) {
      const fused = valueAndGrads(f, xr, yr);
      // Exact at r = 0 (Float64, no cancellation): 1e-6 against the Float64 formula.
      expect(fused.value).toBeCloseTo(hostMmd(xr, yr, k, unbiased), 6);
      // A central difference of an even term ‖±h e‖^β is exactly 0, the subgradient the loop uses
      // (the composed float32 path leaves cancellation noise ∝ r^(β−2) on coincident rows instead).
      const fdx = finiteDifference((xs) => hostMmd(xs, yr, k, unbiased), xr);
      const fdy = finiteDifference((ys) => hostMmd(xr, ys, k, unbiased), yr);
      expect(relativeError(fused.gx, fdx)).toBeLessThan(1e-4);
      expect(relativeError(fused.gy, fdy)).toBeLessThan(1e-4);
    }
  });

  it('the energy distance equals MMD² with the distance kernel on the fused path, and its host formula', () => {
    const xr = gaussianRows(80, 25, [0, 0, 0], 1);
    const yr = gaussianRows(81, 20, [1, 0, 0], 1);
    const x = toTensor(xr);
    const y = toTensor(yr);
    for (const unbiased of [true, false]) {
      const estimator = unbiased ? 'unbiased' : 'biased';
      const e = scalarValue(energyDistance(x, y, { estimator, fused: true }));
      const k = scalarValue(mmd(x, y, { kernel: distanceKernel(), estimator, fused: true }));
      // float32 output of a Float64 sum: 1e-6 relative.
      expect(e).toBeCloseTo(k, 6);
      expect(e).toBeCloseTo(hostMmd(xr, yr, (u, v) => -norm(u, v), unbiased), 5);
    }
    tf.dispose([x, y]);
  });

  it('scales the gradient by the upstream dy, and gives the same value with and without a tape', () => {
    const xr = gaussianRows(90, 12, [0, 0], 1);
    const yr = gaussianRows(91, 10, [0.5, 0], 1);
    const plain = valueAndGrads((x, y) => energyDistance(x, y, { fused: true }), xr, yr);
    const tripled = valueAndGrads((x, y) => tf.mul(energyDistance(x, y, { fused: true }), 3) as tf.Scalar, xr, yr);
    expect(relativeError(tripled.gx, plain.gx.map((r) => r.map((v) => 3 * v)))).toBeLessThan(1e-6);
    const x = toTensor(xr);
    const y = toTensor(yr);
    expect(scalarValue(energyDistance(x, y, { fused: true }))).toBeCloseTo(plain.value, 6);
    tf.dispose([x, y]);
  });

  it('holds no n×m matrix: peak tensor bytes stay O((n + m)·d) in the forward and under a gradient tape', async () => {
    const n = 1200;
    const x = toTensor(gaussianRows(100, n, [0, 0], 1));
    const y = toTensor(gaussianRows(101, n, [1, 0], 1));
    const kernel = gaussianKernel({ bandwidth: 1 });
    // One 1200 × 1200 float32 matrix is 5.8 MB; the inputs and gradients are 9.6 KB each.
    for (const run of [
      () => energyDistance(x, y),
      () => mmd(x, y, { kernel }),
      () => {
        const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => energyDistance(a as tf.Tensor2D, b as tf.Tensor2D))([x, y]);
        tf.dispose(grads);
        return value;
      },
    ]) {
      const info = await tf.profile(() => run());
      tf.dispose(info.result as tf.Tensor);
      expect(info.peakBytes).toBeLessThan(200_000);
    }
    tf.dispose([x, y]);
  });

  it('falls back to composed ops for a kernel without a radial profile', () => {
    // k(x, y) = (1 + x·y)²: not radial, so only the composed path can evaluate it.
    const polynomial: Kernel = {
      gram: (a, b) => tf.tidy(() => tf.square(tf.add(tf.matMul(a, b, false, true), 1)) as tf.Tensor2D),
    };
    const xr = gaussianRows(110, 8, [0, 0], 1);
    const yr = gaussianRows(111, 6, [0.3, 0], 1);
    const k = (u: number[], v: number[]) => (1 + u[0]! * v[0]! + u[1]! * v[1]!) ** 2;
    const x = toTensor(xr);
    const y = toTensor(yr);
    expect(scalarValue(mmd(x, y, { kernel: polynomial, fused: true }))).toBeCloseTo(hostMmd(xr, yr, k, true), 4);
    tf.dispose([x, y]);
  });

  it('power profile: slope is the derivative of κ in r², 0 at r² = 0', () => {
    const r2 = Float64Array.from([0, 0.25, 1, 4]);
    const slope = new Float64Array(4);
    for (const beta of [1, 0.6, 1.7]) {
      const total = powerProfile(beta, -1).sum(r2, 4, slope);
      expect(total).toBeCloseTo(-(0.5 ** beta + 1 + 2 ** beta), 12);
      expect(slope[0]).toBe(0);
      for (let k = 1; k < 4; k++) expect(slope[k]).toBeCloseTo(-(beta / 2) * r2[k]! ** (beta / 2 - 1), 12);
    }
  });

  it('rejects a fused option that is not a boolean', () => {
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    expect(() => energyDistance(x, x, { fused: 'yes' as never })).toThrow(/energyDistance: fused must be a boolean, got "yes"/);
    expect(() => mmd(x, x, { fused: 1 as never })).toThrow(/mmd: fused must be a boolean, got 1/);
    x.dispose();
  });
});
