// Image preprocessing for density models: dequantisation fills each pixel's cell, the logit
// transform's log-Jacobian matches autodiff and finite differences, bits per dimension of the
// uniform density on the cube is log₂ K, a flow with the transform has the closed-form
// logit-normal density, and a RealNVP trained on small images reports bits/dim, samples in
// [0, 1] and survives a save/load.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng, createTrainingRun, parseRecipe, trainRecipe } from '@pfm/core';
import { likelihoodPlugin } from '../plugin/likelihood-plugin.js';
import { sigmoid } from '../bijectors/sigmoid.js';
import type { FlowModel } from '../flow/flow-model.js';
import { bitsPerDimension } from '../flow/bits-per-dimension.js';
import { saveAndLoad } from '../testing/save-and-load.js';
import { logitTransformSpec } from './logit-transform-spec.js';
import { uniformDequantize } from './uniform-dequantize.js';
import { pixelPreprocessingSchema } from './pixel-preprocessing.js';

const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });

/** log N(y; 0, 1) + log|dy/dx̃| for y = logit(λ + (1 − 2λ) x̃), summed over a row, in float64. */
function logitNormalLogDensity(row: number[], lambda: number): number {
  return row.reduce((sum, x) => {
    const p = lambda + (1 - 2 * lambda) * x;
    const y = Math.log(p) - Math.log(1 - p);
    return sum - 0.5 * y * y - 0.5 * Math.log(2 * Math.PI) + Math.log(1 - 2 * lambda) - Math.log(p) - Math.log(1 - p);
  }, 0);
}

/** n images of `side`×`side` 8-bit pixels: a bright square on one of two sides, with pixel noise. */
function tinyImages(n: number, side: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const rng = createRng(seed);
    const cols = tf.reshape(tf.tile(tf.reshape(tf.range(0, side), [1, side]), [side, 1]), [1, side * side]);
    const left = tf.cast(tf.less(cols, side / 2), 'float32');
    const pick = tf.cast(tf.less(rng.fold(0).uniform([n, 1]), 0.5), 'float32');
    const base = tf.add(tf.mul(pick, left), tf.mul(tf.sub(1, pick), tf.sub(1, left)));
    const noisy = tf.add(tf.mul(base, 0.8), tf.mul(rng.fold(1).uniform([n, side * side]), 0.2));
    return tf.div(tf.round(tf.mul(noisy, 255)), 255) as tf.Tensor2D;
  });
}

describe('uniformDequantize', () => {
  it('sends pixel k/(K − 1) uniformly into [k/K, (k + 1)/K)', () => {
    const before = tf.memory().numTensors;
    const k = tf.tidy(() => tf.floor(tf.mul(createRng(1).uniform([4000, 3]), 256)));
    const x = tf.div(k, 255) as tf.Tensor2D;
    const xt = uniformDequantize(x, 256, createRng(2));
    const [lo, hi, mean] = tf.tidy(() => {
      const u = tf.sub(tf.mul(xt, 256), k); // the noise u = x̃·K − k
      return [tf.min(u).dataSync()[0]!, tf.max(u).dataSync()[0]!, tf.mean(u).dataSync()[0]!];
    });
    expect(lo).toBeGreaterThanOrEqual(-1e-3); // float32: x·255 is k up to rounding
    expect(hi).toBeLessThan(1 + 1e-3);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01); // 12,000 draws: s.e. 0.0026
    tf.dispose([k, x, xt]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('logit transform', () => {
  it('its log-Jacobian matches autodiff and finite differences (λ = 0.05 and 1e-6)', () => {
    const before = tf.memory().numTensors;
    for (const lambda of [0.05, 1e-6]) {
      const spec = logitTransformSpec(3, lambda);
      const layer = sigmoid(spec.options as { dim: number; low: number; high: number });
      const rows = [
        [0.001, 0.5, 0.999],
        [0.2, 0.7, 0.05],
      ];
      const x = tf.tensor2d(rows);
      const [y, logDet] = layer.inverseAndLogDet(x);
      const ys = y.arraySync() as number[][];
      const ld = Array.from(logDet.dataSync());
      // Autodiff: the Jacobian is diagonal, its entries are the gradient of Σ y.
      const diag = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(layer.inverseAndLogDet(v as tf.Tensor2D)[0]))(x).arraySync() as number[][]);
      rows.forEach((row, i) => {
        const logit = (v: number) => Math.log(lambda + (1 - 2 * lambda) * v) - Math.log(1 - lambda - (1 - 2 * lambda) * v);
        const h = 1e-6;
        const fd = row.reduce((s, v) => s + Math.log((logit(v + h) - logit(v - h)) / (2 * h)), 0);
        const ad = diag[i]!.reduce((s, v) => s + Math.log(v), 0);
        row.forEach((v, j) => expect(ys[i]![j]!).toBeCloseTo(logit(v), 3));
        expect(Math.abs(ld[i]! - fd)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
        expect(Math.abs(ld[i]! - ad)).toBeLessThan(2e-3 * Math.max(1, Math.abs(ad)));
      });
      tf.dispose([x, y, logDet]);
      layer.dispose();
    }
    expect(() => logitTransformSpec(3, 0.5)).toThrow('logitTransformSpec: lambda must be in (0, 0.5), got 0.5');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('bits per dimension', () => {
  it('is log₂ K for the uniform density on the cube (8 bits for 256 levels, 1 bit for 2)', () => {
    const before = tf.memory().numTensors;
    const zero = tf.zeros([3]) as tf.Tensor1D;
    const eight = bitsPerDimension(zero, 784, 256);
    const one = bitsPerDimension(zero, 5, 2);
    // A density 2^d on the cube (twice as likely everywhere along each axis) saves one bit per dimension.
    const double = tf.fill([1], 10 * Math.LN2) as tf.Tensor1D;
    const seven = bitsPerDimension(double, 10, 256);
    expect(Array.from(eight.dataSync()).map((v) => Math.abs(v - 8) < 1e-5)).toEqual([true, true, true]);
    expect(one.dataSync()[0]).toBeCloseTo(1, 6);
    expect(seven.dataSync()[0]).toBeCloseTo(7, 5);
    expect(() => bitsPerDimension(zero, 0, 256)).toThrow('bitsPerDimension: dim must be a positive integer, got 0');
    tf.dispose([zero, eight, one, double, seven]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a flow with the logit transform has the closed-form logit-normal density, and bits/dim from it', () => {
    const before = tf.memory().numTensors;
    const lambda = 1e-6;
    const data = tinyImages(64, 2, 3); // 4 pixels
    const recipe = parseRecipe(
      { method: 'flow-mle', options: { layers: [{ type: 'elementwise-affine', options: { dim: 4 } }], preprocess: { logit: lambda } } },
      registry,
    );
    const run = createTrainingRun(recipe, data, registry);
    const model = run.model as FlowModel;
    expect(model.preprocess).toEqual({ dequantize: true, levels: 256, logit: lambda });
    // An identity affine layer: y = z ~ N(0, I), x̃ = (σ(y) − λ)/(1 − 2λ).
    const xt = uniformDequantize(data, 256, createRng(9));
    const rows = xt.arraySync() as number[][];
    const logp = tf.tidy(() => Array.from(model.logProb(xt).dataSync()));
    rows.forEach((row, i) => expect(Math.abs(logp[i]! - logitNormalLogDensity(row, lambda))).toBeLessThan(1e-3 * Math.max(1, Math.abs(logp[i]!))));
    const bpd = tf.tidy(() => Array.from(model.bitsPerDim!(data, createRng(9)).dataSync()));
    rows.forEach((row, i) => {
      const expected = (-logitNormalLogDensity(row, lambda) + 4 * Math.log(256)) / (4 * Math.LN2);
      expect(Math.abs(bpd[i]! - expected)).toBeLessThan(1e-3);
    });
    run.dispose?.();
    model.dispose();
    tf.dispose([data, xt]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('realnvp with preprocess', () => {
  it('learns small images: bits/dim fall below the uniform 8, samples lie in [0, 1], inverse ∘ forward is the identity, save/load keeps bits/dim', async () => {
    const before = tf.memory().numTensors;
    const train = tinyImages(1024, 4, 1);
    const test = tinyImages(256, 4, 2);
    const { model: trained } = await trainRecipe(
      { method: 'realnvp', options: { blocks: 3, preprocess: {} }, model: { hidden: [32] }, optimizer: { lr: 3e-3 }, steps: 100, batchSize: 128, seed: 1 },
      train,
      { registry },
    );
    const model = trained as FlowModel;
    const copy = saveAndLoad(model, registry) as FlowModel;
    try {
      expect(model.options.preprocess).toEqual({ dequantize: true, levels: 256, logit: 1e-6 });
      const bpd = tf.tidy(() => tf.mean(model.bitsPerDim!(test, createRng(5))).dataSync()[0]!);
      // Uniform on the cube is 8 bits; each pixel lies in a band of width 0.2 (≈ 51 values) around
      // its mean, ≈ log₂ 51 ≈ 5.7 bits for a perfect model; 100 steps get well below 8.
      expect(bpd).toBeLessThan(7);
      expect(bpd).toBeGreaterThan(5);
      const again = tf.tidy(() => tf.mean(copy.bitsPerDim!(test, createRng(5))).dataSync()[0]!);
      expect(again).toBe(bpd);

      const samples = model.sample(500, createRng(6));
      const [lo, hi] = tf.tidy(() => [tf.min(samples).dataSync()[0]!, tf.max(samples).dataSync()[0]!]);
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
      // Round trip: pull samples back to the noise and push them forward again.
      const err = tf.tidy(() => {
        const inner = tf.clipByValue(samples, 1e-3, 1 - 1e-3) as tf.Tensor2D; // away from float32 saturation of the sigmoid
        const [z] = model.maps.flow.inverseAndLogDet(inner);
        return tf.max(tf.abs(tf.sub(model.maps.flow.apply(z), inner))).dataSync()[0]!;
      });
      expect(err).toBeLessThan(1e-4);
      samples.dispose();
      await expect(
        trainRecipe({ method: 'realnvp', options: { preprocess: {}, noise: 'uniform' }, steps: 1 }, train, { registry }),
      ).rejects.toThrow('realnvp: options.noise is "uniform", but options.preprocess dequantises already; expected noise "none" with preprocess');
      const outside = tf.mul(train, 2) as tf.Tensor2D;
      await expect(trainRecipe({ method: 'nsf', options: { preprocess: {} }, steps: 1 }, outside, { registry })).rejects.toThrow(
        /nsf: options\.preprocess expects data in \[0, 1\] \(pixel intensities\), but ctx\.data ranges over \[0, 2\]/,
      );
      outside.dispose();
      expect(() => parseRecipe({ method: 'realnvp', options: { preprocess: { logit: 0.7 } } }, registry)).toThrow(/config\.options\.preprocess\.logit/);
      expect(pixelPreprocessingSchema.parse({ logit: false })).toEqual({ dequantize: true, levels: 256, logit: false });
    } finally {
      model.dispose();
      copy.dispose();
      tf.dispose([train, test]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
