import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng, trainRecipe } from '@pfm/core';
import { ipmPlugin } from '../plugin/ipm-plugin.js';
import { gaussianRows, scalarValue, toTensor } from '../test-support/host.js';
import { featureDiscrepancy } from './feature-discrepancy.js';
import { HERMITE_MAX_SIZE, hermiteFeatures } from './hermite-features.js';

/** He_n(x) by the three-term recurrence (float64). */
function he(n: number, x: number): number {
  let [a, b] = [1, x];
  if (n === 0) return a;
  for (let j = 1; j < n; j++) [a, b] = [b, x * b - j * a];
  return b;
}

/**
 * Gauss–Hermite rule for N(0, 1) with `order` nodes: the roots of He_order (found by bisection
 * between sign changes on a fine grid) and weights (order − 1)!/(order He_{order−1}(x_i)²), Σ w = 1.
 * Exact for polynomials of degree ≤ 2·order − 1.
 */
function gaussHermite(order: number): { nodes: number[]; weights: number[] } {
  const nodes: number[] = [];
  const bound = Math.sqrt(4 * order + 2);
  const step = 1e-3;
  for (let x = -bound; x < bound; x += step) {
    if (Math.sign(he(order, x)) !== Math.sign(he(order, x + step))) {
      let [lo, hi] = [x, x + step];
      for (let i = 0; i < 60; i++) {
        const mid = (lo + hi) / 2;
        if (Math.sign(he(order, mid)) === Math.sign(he(order, lo))) lo = mid;
        else hi = mid;
      }
      nodes.push((lo + hi) / 2);
    }
  }
  let factorial = 1;
  for (let j = 2; j < order; j++) factorial *= j;
  const weights = nodes.map((x) => factorial / (order * he(order - 1, x) ** 2));
  return { nodes, weights };
}

/** Tensor-product rule in d = 2 for N(mean, std² I): rows `[order², 2]` and weights. */
function productRule(order: number, mean: number[], std: number): { rows: number[][]; weights: number[] } {
  const { nodes, weights } = gaussHermite(order);
  const rows: number[][] = [];
  const w: number[] = [];
  nodes.forEach((a, i) =>
    nodes.forEach((b, j) => {
      rows.push([mean[0]! + std * a, mean[1]! + std * b]);
      w.push(weights[i]! * weights[j]!);
    }),
  );
  return { rows, weights: w };
}

/** Σ_i w_i f(x_i) for every feature: the quadrature mean `[M]`. */
function quadratureMeans(features: number[][], weights: number[]): number[] {
  return features[0]!.map((_, a) => features.reduce((s, row, i) => s + weights[i]! * row[a]!, 0));
}

describe('hermite features', () => {
  it('enumerate 1 ≤ |a| ≤ K with λ = |a| and weights τ = λ, 1/λ or 1', () => {
    const family = hermiteFeatures({ dim: 2, degree: 3 });
    // C(3 + 2, 2) − 1 = 9 multi-indices.
    expect(family.size).toBe(9);
    expect(family.multiIndices).toEqual([[1, 0], [0, 1], [2, 0], [1, 1], [0, 2], [3, 0], [2, 1], [1, 2], [0, 3]]);
    expect(Array.from(family.eigenvalues)).toEqual([1, 1, 2, 2, 2, 3, 3, 3, 3]);
    const before = tf.memory().numTensors;
    const tau = (rule: 'eigenvalue' | 'inverse-eigenvalue' | 'uniform') => {
      const w = hermiteFeatures({ dim: 2, degree: 3, tau: rule }).weights();
      const out = Array.from(w.dataSync());
      w.dispose();
      return out;
    };
    expect(tau('eigenvalue')).toEqual([1, 1, 2, 2, 2, 3, 3, 3, 3]);
    expect(tau('uniform')).toEqual(new Array<number>(9).fill(1));
    tau('inverse-eigenvalue').forEach((w, i) => expect(w).toBeCloseTo(1 / family.eigenvalues[i]!, 7));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('match Π He_{a_k}(x_k)/√(a_k!) at points, with center and scale applied first', () => {
    const rows = [[0.3, -1.2], [2.1, 0.4], [-0.7, 1.5]];
    const before = tf.memory().numTensors;
    const family = hermiteFeatures({ dim: 2, degree: 4, center: [0.5, -0.25], scale: [2, 0.5] });
    const x = toTensor(rows);
    const f = family.features(x);
    const got = f.arraySync();
    tf.dispose([x, f]);
    const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
    rows.forEach((row, i) => {
      const u = [(row[0]! - 0.5) / 2, (row[1]! + 0.25) / 0.5];
      family.multiIndices.forEach((a, j) => {
        const exact = (he(a[0]!, u[0]!) / Math.sqrt(fact(a[0]!))) * (he(a[1]!, u[1]!) / Math.sqrt(fact(a[1]!)));
        expect(Math.abs(got[i]![j]! - exact)).toBeLessThan(1e-5 * (1 + Math.abs(exact)));
      });
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('are orthonormal under N(0, I) (Gauss–Hermite quadrature, exact for these degrees)', () => {
    // Products of two features have degree ≤ 2K = 8 per coordinate: a 6-node rule (exact to degree 11)
    // integrates them exactly, so the only error is float32 rounding of the features (≈ 1e-6 relative).
    const K = 4;
    const { rows, weights } = productRule(6, [0, 0], 1);
    const before = tf.memory().numTensors;
    const family = hermiteFeatures({ dim: 2, degree: K });
    const x = toTensor(rows);
    const f = family.features(x);
    const values = f.arraySync();
    tf.dispose([x, f]);
    expect(tf.memory().numTensors).toBe(before);
    for (let a = 0; a < family.size; a++) {
      // Mean zero: ⟨H_a⟩ = ⟨H_a H_0⟩ = 0 for |a| ≥ 1.
      expect(Math.abs(values.reduce((s, row, i) => s + weights[i]! * row[a]!, 0))).toBeLessThan(1e-5);
      for (let b = 0; b < family.size; b++) {
        const gram = values.reduce((s, row, i) => s + weights[i]! * row[a]! * row[b]!, 0);
        expect(Math.abs(gram - (a === b ? 1 : 0)), `⟨H_${a} H_${b}⟩`).toBeLessThan(1e-4);
      }
    }
  });

  it('are eigenfunctions of the OU generator: Δ H_a − x·∇H_a = −|a| H_a (autodiff)', () => {
    const family = hermiteFeatures({ dim: 2, degree: 4 });
    const x = toTensor(gaussianRows(11, 7, [0, 0], 1.2));
    const before = tf.memory().numTensors;
    for (let a = 0; a < family.size; a++) {
      const [lhs, rhs] = tf.tidy(() => {
        // Rows are independent, so the gradient of the column sum is the row-wise gradient.
        const feature = (p: tf.Tensor) => tf.sum(tf.slice(family.features(p as tf.Tensor2D), [0, a], [-1, 1]));
        const gradient = tf.grad(feature);
        const g = gradient(x) as tf.Tensor2D;
        let laplacian: tf.Tensor = tf.zeros([x.shape[0], 1]);
        for (let k = 0; k < 2; k++) {
          const second = tf.grad((p: tf.Tensor) => tf.sum(tf.slice(gradient(p), [0, k], [-1, 1])))(x);
          laplacian = tf.add(laplacian, tf.slice(second, [0, k], [-1, 1]));
        }
        const generator = tf.sub(laplacian, tf.sum(tf.mul(x, g), 1, true));
        const value = tf.mul(tf.slice(family.features(x), [0, a], [-1, 1]), -family.eigenvalues[a]!);
        return [generator.arraySync() as number[][], value.arraySync() as number[][]];
      });
      lhs.forEach((row, i) => expect(Math.abs(row[0]! - rhs[i]![0]!), `a = ${family.multiIndices[a]!.join(',')}`).toBeLessThan(2e-4 * (1 + Math.abs(rhs[i]![0]!))));
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('decay as e^{−|a|t} along the OU semigroup from a Gaussian ρ₀ (closed form)', () => {
    // ρ₀ = N(m, s²I) ⇒ ρ_t = N(e^{−t}m, (e^{−2t}s² + 1 − e^{−2t})I). Means by 6-node quadrature
    // (exact for degree ≤ 11 ≥ K = 4). Also against E He_n(m + σZ) = Σ_j n!/(j!(n−2j)!) ((σ² − 1)/2)^j m^{n−2j}.
    const m = [0.8, -0.5];
    const s = 0.6;
    const family = hermiteFeatures({ dim: 2, degree: 4 });
    const before = tf.memory().numTensors;
    const momentsAt = (t: number) => {
      const mean = m.map((v) => Math.exp(-t) * v);
      const std = Math.sqrt(Math.exp(-2 * t) * s * s + 1 - Math.exp(-2 * t));
      const { rows, weights } = productRule(6, mean, std);
      const x = toTensor(rows);
      const f = family.features(x);
      const values = f.arraySync();
      tf.dispose([x, f]);
      return quadratureMeans(values, weights);
    };
    const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
    const exact1d = (n: number, mu: number, sigma: number) => {
      let e = 0;
      for (let j = 0; 2 * j <= n; j++) e += (fact(n) / (fact(j) * fact(n - 2 * j))) * ((sigma * sigma - 1) / 2) ** j * mu ** (n - 2 * j);
      return e / Math.sqrt(fact(n));
    };
    const initial = momentsAt(0);
    family.multiIndices.forEach((a, i) => expect(initial[i]!).toBeCloseTo(exact1d(a[0]!, m[0]!, s) * exact1d(a[1]!, m[1]!, s), 5));
    for (const t of [0.1, 0.5, 1.2]) {
      const moments = momentsAt(t);
      family.multiIndices.forEach((_, i) => {
        const expected = Math.exp(-family.eigenvalues[i]! * t) * initial[i]!;
        expect(Math.abs(moments[i]! - expected), `t = ${t}, feature ${i}`).toBeLessThan(1e-5);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('give the same D₂² and gradient fused (closed-form backward) and composed', () => {
    const x = toTensor(gaussianRows(3, 24, [0.2, 0], 1));
    const y = toTensor(gaussianRows(4, 20, [-0.3, 0.4], 0.8));
    const family = hermiteFeatures({ dim: 2, degree: 4, center: [0.1, 0], scale: 1.3 });
    const before = tf.memory().numTensors;
    for (const estimator of ['unbiased', 'biased'] as const) {
      const run = (fused: boolean) =>
        tf.tidy(() => {
          const value = featureDiscrepancy(x, y, { family, estimator, fused });
          const gx = tf.grad((p: tf.Tensor) => featureDiscrepancy(p as tf.Tensor2D, y, { family, estimator, fused }))(x);
          return [value.dataSync()[0]!, Array.from(gx.dataSync())] as const;
        });
      const [vf, gf] = run(true);
      const [vc, gc] = run(false);
      expect(vf).toBeCloseTo(vc, 4);
      gf.forEach((g, i) => expect(Math.abs(g - gc[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(gc[i]!))));
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });

  it('reject bad options naming the field and the value', () => {
    expect(() => hermiteFeatures({ dim: 2, degree: 0 })).toThrow(/degree must be a positive integer, got 0/);
    expect(() => hermiteFeatures({ dim: 10, degree: 8 })).toThrow(
      new RegExp(`degree 8 in dimension 10 gives 43757 multi-indices .*at most ${HERMITE_MAX_SIZE}`),
    );
    expect(() => hermiteFeatures({ dim: 2, center: [0] })).toThrow(/center must be 2 finite numbers, got \[0\]/);
    expect(() => hermiteFeatures({ dim: 2, scale: [1, -1] })).toThrow(/scale must be a positive number or 2 positive numbers/);
    expect(() => hermiteFeatures({ dim: 2, tau: 'lambda' as never })).toThrow(/tau must be .*got "lambda"/);
    const registry = createRegistry({ plugins: [ipmPlugin] });
    expect(() => registry.parseOptions('test-functions', 'hermite', { degree: 2.5 })).toThrow(/degree/);
    expect(() => registry.parseOptions('test-functions', 'hermite', { tau: 'lambda' })).toThrow(/tau/);
  });

  it('train a generator as the `features` loss of the statistics-matching objective', async () => {
    const registry = createRegistry({ plugins: [corePlugin, ipmPlugin] });
    const data = tf.tidy(() => tf.add(tf.mul(createRng(5).normal([256, 2]), 0.5), tf.tensor1d([1, -0.5])) as tf.Tensor2D);
    const before = tf.memory().numTensors;
    const loss = { id: 'features', options: { family: { id: 'hermite', options: { degree: 3 } }, estimator: 'biased' } };
    const { model, result } = await trainRecipe(
      { method: 'statistics-matching', options: { loss }, model: { hidden: [16] }, optimizer: { lr: 2e-2 }, steps: 60, batchSize: 128, seed: 1 },
      data,
      { registry },
    );
    const history = result.lossHistory;
    const head = history.slice(0, 5).reduce((s, v) => s + v, 0) / 5;
    const tail = history.slice(-5).reduce((s, v) => s + v, 0) / 5;
    // The generator starts near N(0, I) whose D₂² to N((1, −0.5), 0.25 I) is > 1; training must cut it.
    expect(head).toBeGreaterThan(0.5);
    expect(tail).toBeLessThan(head / 3);
    const mean = scalarValue(tf.tidy(() => tf.mean(tf.slice(model.sample(512, createRng(2)), [0, 0], [-1, 1]))));
    expect(mean).toBeGreaterThan(0.5);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });
});
