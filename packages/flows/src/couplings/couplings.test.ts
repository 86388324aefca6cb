import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, gaussian } from '@pfm/core';
import { sinkhorn } from '@pfm/ipm';
import type { Coupling } from './coupling.js';
import { exactOtCoupling } from './exact-ot-coupling.js';
import { independentCoupling } from './independent-coupling.js';
import { sinkhornCoupling } from './sinkhorn-coupling.js';

function meanCost(c: Coupling, x0: tf.Tensor2D, x1: tf.Tensor2D, seed = 0): number {
  return tf.tidy(() => {
    const p = c.pair(x0, x1, createRng(seed));
    return tf.mean(tf.sum(tf.square(tf.sub(p.x0, p.x1)), 1)).dataSync()[0]!;
  });
}

function sortedRows(t: tf.Tensor2D): string[] {
  return t.arraySync().map((r) => r.map((v) => v.toFixed(5)).join(',')).sort();
}

describe('couplings', () => {
  it('exact OT finds the optimal pairing (brute force over all 720 pairings of 6 points)', () => {
    const x0 = createRng(1).normal([6, 2]) as tf.Tensor2D;
    const x1 = tf.tidy(() => tf.add(createRng(2).normal([6, 2]), 1)) as tf.Tensor2D;
    const a = x0.arraySync();
    const b = x1.arraySync();
    let best = Infinity;
    const permute = (rest: number[], chosen: number[]) => {
      if (rest.length === 0) {
        const cost = chosen.reduce((s, j, i) => s + (a[i]![0]! - b[j]![0]!) ** 2 + (a[i]![1]! - b[j]![1]!) ** 2, 0) / 6;
        best = Math.min(best, cost);
        return;
      }
      rest.forEach((j, k) => permute([...rest.slice(0, k), ...rest.slice(k + 1)], [...chosen, j]));
    };
    permute([0, 1, 2, 3, 4, 5], []);
    expect(meanCost(exactOtCoupling(), x0, x1)).toBeCloseTo(best, 5);
    tf.dispose([x0, x1]);
  });

  it('OT couplings lower the mean squared transport cost of independent pairs, keeping both marginals', () => {
    const x0 = createRng(3).normal([256, 2]) as tf.Tensor2D;
    const x1 = gaussian({ mean: [2, -1], std: [0.3, 1.5] }).sample(256, createRng(4));
    const independent = meanCost(independentCoupling(), x0, x1);
    const exact = meanCost(exactOtCoupling(), x0, x1);
    const entropic = meanCost(sinkhornCoupling({ epsilon: 0.01 }), x0, x1, 5);
    // Independent pairs cost E‖X0 − X1‖² = 2 + |m|² + Σ s² ≈ 9.3; W2² between N(0, I) and
    // N(m, diag(s²)) is |m|² + Σ (1 − s)² ≈ 5.7, which minibatch OT underestimates. Measured on
    // these 256 + 256 points: 8.6 independent, 5.1 exact, 5.9 entropic (ε = 0.01).
    expect(independent).toBeGreaterThan(8);
    expect(exact).toBeLessThan(0.75 * independent);
    expect(entropic).toBeLessThan(0.8 * independent);
    const pair = exactOtCoupling().pair(x0, x1, createRng(0));
    expect(sortedRows(pair.x1)).toEqual(sortedRows(x1));
    expect(pair.x0).toBe(x0);
    pair.x1.dispose();
    tf.dispose([x0, x1]);
  });

  it('the entropic coupling draws pairs with the frequencies of the Sinkhorn plan (without holding the plan)', () => {
    const before = tf.memory().numTensors;
    const x0 = createRng(7).normal([5, 2]) as tf.Tensor2D;
    const x1 = tf.tidy(() => tf.add(createRng(8).normal([4, 2]), 0.5)) as tf.Tensor2D;
    // The coupling's ε = 0.05 of the largest squared distance, i.e. blur² = 0.025·max‖x0 − x1‖² in @pfm/ipm.
    const a = x0.arraySync();
    const b = x1.arraySync();
    let maxSq = 0;
    for (const u of a) for (const v of b) maxSq = Math.max(maxSq, (u[0]! - v[0]!) ** 2 + (u[1]! - v[1]!) ** 2);
    const { plan } = sinkhorn(x0, x1, { blur: Math.sqrt(0.025 * maxSq), plan: true });
    const total = plan!.reduce((s, v) => s + v, 0);
    // The plan is far from the independent coupling (1/20 per pair), so uniform draws would fail below.
    expect(Math.max(...plan!.map((v) => Math.abs(v / total - 1 / 20)))).toBeGreaterThan(0.1);
    const coupling = sinkhornCoupling({ epsilon: 0.05 });
    const counts = new Float64Array(20);
    const rng = createRng(9);
    const draws = 400;
    const key = (r: number[]) => r.map((v) => v.toFixed(6)).join(',');
    const rowOf = new Map(a.map((r, i) => [key(r), i]));
    const colOf = new Map(b.map((r, j) => [key(r), j]));
    for (let k = 0; k < draws; k++) {
      // 5 pairs per call: 2,000 draws; each pair is located by its coordinates.
      const p = coupling.pair(x0, x1, rng);
      const pa = p.x0.arraySync();
      const pb = p.x1.arraySync();
      pa.forEach((r, s) => (counts[rowOf.get(key(r))! * 4 + colOf.get(key(pb[s]!))!]! += 1));
      tf.dispose([p.x0, p.x1]);
    }
    // Multinomial frequencies of 2,000 draws: standard error ≤ √(0.25/2000) ≈ 0.011; 0.04 is > 3.5 of them.
    plan!.forEach((v, k) => expect(Math.abs(counts[k]! / (5 * draws) - v / total)).toBeLessThan(0.04));
    tf.dispose([x0, x1]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
