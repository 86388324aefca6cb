// Decoders for data in [0, 1]: the continuous Bernoulli is a density on [0, 1] (its normaliser
// integrates it to one, smoothly through ℓ = 0), the Bernoulli a pmf on {0, 1}; means and draws
// agree; a VAE with the continuous Bernoulli on dequantised pixels reports bits per dimension.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng, trainRecipe } from '@pfm/core';
import { likelihoodPlugin } from '../plugin/likelihood-plugin.js';
import { saveAndLoad } from '../testing/save-and-load.js';
import { bernoulliDecoder } from './bernoulli-decoder.js';
import { continuousBernoulliLogNormalizer } from './continuous-bernoulli-log-normalizer.js';
import type { VaeModel } from './vae-model.js';

const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });
const LOGITS = [-30, -5, -1, -0.0101, -1e-3, 0, 1e-3, 0.0099, 0.5, 5, 30];

/** A decoder with no hidden layer whose logits are the bias `logits` (the kernel zeroed). */
function constantDecoder(logits: number[], continuous: boolean) {
  const decoder = bernoulliDecoder({ latentDim: 1, outputDim: logits.length, hidden: [], continuous }, createRng(0));
  tf.tidy(() => {
    decoder.variables[0]!.assign(tf.zeros([1, logits.length]));
    decoder.variables[1]!.assign(tf.tensor1d(logits));
  });
  return decoder;
}

describe('continuous Bernoulli', () => {
  it('C(ℓ) λ^x (1 − λ)^(1−x) integrates to one on [0, 1] for every logit, and log C is smooth at 0', () => {
    const before = tf.memory().numTensors;
    const logC = tf.tidy(() => Array.from(continuousBernoulliLogNormalizer(tf.tensor1d(LOGITS)).dataSync()));
    LOGITS.forEach((l, i) => {
      const m = 20000;
      let integral = 0;
      for (let j = 0; j < m; j++) {
        const x = (j + 0.5) / m;
        const logBernoulli = x * l - (Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)))); // x ℓ − softplus(ℓ)
        integral += Math.exp(logBernoulli + logC[i]!) / m;
      }
      expect(Math.abs(integral - 1)).toBeLessThan(1e-4);
    });
    expect(logC[LOGITS.indexOf(0)]).toBeCloseTo(Math.log(2), 6);
    // The two branches meet at |ℓ| = 0.01: values either side differ by the slope only.
    expect(Math.abs(logC[LOGITS.indexOf(-0.0101)]! - logC[LOGITS.indexOf(0.0099)]!)).toBeLessThan(1e-5);
    const grad = tf.tidy(() => Array.from(tf.grad((l: tf.Tensor) => tf.sum(continuousBernoulliLogNormalizer(l)))(tf.tensor1d([0, 1e-3, -5])).dataSync()));
    // d log C/dℓ = ℓ/6 near 0, and 1/ℓ − 1/sinh(ℓ) in general.
    expect(grad[0]).toBe(0);
    expect(grad[1]!).toBeCloseTo(1e-3 / 6, 6);
    expect(grad[2]!).toBeCloseTo(-1 / 5 - 1 / Math.sinh(-5), 4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the decoder mean is ∫ x p(x) dx and draws follow it; the Bernoulli decoder is a pmf on {0, 1} with mean σ(ℓ)', () => {
    const before = tf.memory().numTensors;
    for (const continuous of [true, false]) {
      const decoder = constantDecoder(LOGITS, continuous);
      const logC = tf.tidy(() => Array.from(continuousBernoulliLogNormalizer(tf.tensor1d(LOGITS)).dataSync()));
      const [means, drawMeans] = tf.tidy(() => {
        const params = decoder.parameters(tf.zeros([20000, 1]));
        const m = Array.from(decoder.mean(tf.slice(params, [0, 0], [1, -1]) as tf.Tensor2D).dataSync());
        const draws = decoder.draw(params, createRng(4));
        expect(tf.min(draws).dataSync()[0]).toBeGreaterThanOrEqual(0);
        expect(tf.max(draws).dataSync()[0]).toBeLessThanOrEqual(1);
        return [m, Array.from(tf.mean(draws, 0).dataSync())];
      });
      LOGITS.forEach((l, i) => {
        let expected: number;
        if (continuous) {
          expected = 0;
          for (let j = 0; j < 20000; j++) {
            const x = (j + 0.5) / 20000;
            expected += (x * Math.exp(x * l - (Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)))) + logC[i]!)) / 20000;
          }
        } else {
          expected = 1 / (1 + Math.exp(-l));
        }
        expect(Math.abs(means[i]! - expected)).toBeLessThan(1e-4);
        expect(Math.abs(drawMeans[i]! - expected)).toBeLessThan(0.015); // 20,000 draws: s.e. ≤ 0.0036
      });
      if (!continuous) {
        // Σ over the four binary points of p(x | z) is one.
        const total = tf.tidy(() => {
          const d2 = constantDecoder([0.3, -2], false);
          const x = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
          const t = tf.sum(tf.exp(d2.logLikelihood(x, d2.parameters(tf.zeros([4, 1]))))).dataSync()[0]!;
          d2.dispose();
          return t;
        });
        expect(total).toBeCloseTo(1, 6);
      }
      decoder.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** n images of 16 pixels: one of two halves bright, pixel noise, 8-bit values. */
function tinyImages(n: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const rng = createRng(seed);
    const left = tf.tensor2d([Array.from({ length: 16 }, (_, i) => (i % 4 < 2 ? 1 : 0))]);
    const pick = tf.cast(tf.less(rng.fold(0).uniform([n, 1]), 0.5), 'float32');
    const base = tf.add(tf.mul(pick, left), tf.mul(tf.sub(1, pick), tf.sub(1, left)));
    return tf.div(tf.round(tf.mul(tf.add(tf.mul(base, 0.8), tf.mul(rng.fold(1).uniform([n, 16]), 0.2)), 255)), 255) as tf.Tensor2D;
  });
}

describe('vae on images', () => {
  it('a continuous-Bernoulli VAE on dequantised pixels reports bits/dim below the uniform 8 (IWAE below the ELBO), kept by save/load', async () => {
    const before = tf.memory().numTensors;
    const train = tinyImages(1024, 1);
    const test = tinyImages(256, 2);
    const { model: trained } = await trainRecipe(
      {
        method: 'vae',
        options: { latentDim: 2, likelihood: 'continuous-bernoulli', dequantize: true },
        model: { hidden: [32] },
        optimizer: { lr: 3e-3 },
        steps: 150,
        batchSize: 128,
        seed: 1,
      },
      train,
      { registry },
    );
    const model = trained as VaeModel;
    const copy = saveAndLoad(model, registry) as VaeModel;
    try {
      const elboBits = tf.tidy(() => tf.mean(model.bitsPerDim!(test, createRng(3))).dataSync()[0]!);
      const iwaeBits = tf.tidy(() => tf.mean(model.bitsPerDim!(test, createRng(3), 64)).dataSync()[0]!);
      // A density uniform on the cube scores 8; each pixel lies in a band of width 0.2 (≈ 5.7 bits at best).
      expect(elboBits).toBeLessThan(7.9);
      expect(elboBits).toBeGreaterThan(5);
      expect(iwaeBits).toBeLessThan(elboBits);
      expect(tf.tidy(() => tf.mean(copy.bitsPerDim!(test, createRng(3))).dataSync()[0]!)).toBe(elboBits);
      const samples = model.sample(200, createRng(5), { stochastic: true });
      const [lo, hi] = tf.tidy(() => [tf.min(samples).dataSync()[0]!, tf.max(samples).dataSync()[0]!]);
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
      samples.dispose();
      await expect(trainRecipe({ method: 'iwae', options: { likelihood: 'bernoulli', dequantize: true }, steps: 1 }, train, { registry })).rejects.toThrow(
        /iwae: options\.dequantize is true with options\.likelihood "bernoulli"; the Bernoulli is a probability of binary pixels/,
      );
      const shifted = tf.add(train, 1) as tf.Tensor2D;
      await expect(trainRecipe({ method: 'vae', options: { likelihood: 'bernoulli' }, steps: 1 }, shifted, { registry })).rejects.toThrow(
        /vae: options\.likelihood "bernoulli" expects data in \[0, 1\] \(pixel intensities\), but ctx\.data ranges over \[1, 2\]/,
      );
      shifted.dispose();
    } finally {
      model.dispose();
      copy.dispose();
      tf.dispose([train, test]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
