// The vae and iwae objectives: they train (the bound improves), sampling honours the stochastic
// option, logProb is a reproducible importance-sampled estimate, bad data is rejected, and a
// trained model survives a save/load with identical samples and log-densities.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng, createTrainingRun, gaussian, parseRecipe, trainRecipe } from '@pfm/core';
import { likelihoodPlugin } from '../plugin/likelihood-plugin.js';
import type { VaeModel } from '../vae/vae-model.js';
import { vaeLogLikelihood } from '../vae/vae-log-likelihood.js';
import { saveAndLoad } from '../testing/save-and-load.js';

const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });
const target = gaussian({ mean: [1, -1], covariance: [[1, 0.6], [0.6, 0.5]] });

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('vae / iwae', () => {
  for (const method of ['vae', 'iwae'] as const) {
    it(`${method}: training raises the bound and the model survives save/load bit for bit`, async () => {
      const data = target.sample(512, createRng(1));
      const { model, result } = await trainRecipe(
        { method, options: { latentDim: 2, samples: method === 'iwae' ? 4 : 1, logProbSamples: 128 }, model: { hidden: [16] }, optimizer: { lr: 1e-2 }, steps: 150, batchSize: 128, seed: 2 },
        data,
        { registry },
      );
      const copy = saveAndLoad(model, registry);
      try {
        // The loss is −bound: its average over the last 20 steps is well below the first 20's.
        const h = result.lossHistory;
        expect(avg(h.slice(-20))).toBeLessThan(avg(h.slice(0, 20)) - 0.5);
        for (const stochastic of [false, true]) {
          const a = model.sample(32, createRng(3), { stochastic });
          const b = copy.sample(32, createRng(3), { stochastic });
          expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
          tf.dispose([a, b]);
        }
        const x = tf.slice(data, [0, 0], [40, 2]) as tf.Tensor2D;
        const la = model.logProb!(x);
        const lb = copy.logProb!(x);
        expect(Array.from(lb.dataSync())).toEqual(Array.from(la.dataSync()));
        // logProb is the fixed-seed importance-sampled estimate: reproducible, and above the ELBO on average.
        const again = model.logProb!(x);
        expect(Array.from(again.dataSync())).toEqual(Array.from(la.dataSync()));
        const e = (model as VaeModel).elbo(x, createRng(4), 32);
        expect(tf.tidy(() => tf.mean(tf.sub(la, e)).dataSync()[0]!)).toBeGreaterThan(0);
        tf.dispose([x, la, lb, again, e]);
      } finally {
        copy.dispose();
        model.dispose();
        data.dispose();
      }
    });
  }

  it('sample: decoder means φ(z) by default; stochastic adds N(0, σ²) noise to the same φ(z)', () => {
    const data = target.sample(64, createRng(5));
    const run = createTrainingRun(parseRecipe({ method: 'vae', options: { decoderStd: 0.3 }, model: { hidden: [8] } }, registry), data, registry);
    const model = run.model as VaeModel;
    const mean = model.sample(4000, createRng(6));
    const noisy = model.sample(4000, createRng(6), { stochastic: true });
    // Same z (stream fold 0), noise from fold 1: the difference is N(0, 0.3²) per coordinate.
    const std = tf.tidy(() => Math.sqrt(tf.moments(tf.sub(noisy, mean)).variance.dataSync()[0]!));
    expect(Math.abs(std - 0.3)).toBeLessThan(0.3 * 0.05); // 8000 draws: relative s.e. ≈ 0.8%
    tf.dispose([mean, noisy, data]);
    model.dispose();
  });

  it('vaeLogLikelihood uses the model\'s networks; more samples do not lower the estimate on average', () => {
    const data = target.sample(64, createRng(7));
    const run = createTrainingRun(parseRecipe({ method: 'iwae', model: { hidden: [8] } }, registry), data, registry);
    const model = run.model as VaeModel;
    const small = tf.tidy(() => tf.mean(vaeLogLikelihood(model, data, { samples: 2, rng: createRng(1) })).dataSync()[0]!);
    const large = tf.tidy(() => tf.mean(vaeLogLikelihood(model, data, { samples: 400, rng: createRng(1) })).dataSync()[0]!);
    expect(large).toBeGreaterThan(small);
    data.dispose();
    model.dispose();
  });

  it('rejects NaN rows and inputs of the wrong dimension', async () => {
    const bad = tf.tensor2d([1, 2, 3, Infinity], [2, 2]);
    await expect(trainRecipe({ method: 'iwae', steps: 1 }, bad, { registry })).rejects.toThrow(
      /iwae: ctx\.data: data row 1, column 1 is Infinity; expected finite numbers/,
    );
    bad.dispose();
    const data = target.sample(16, createRng(8));
    const run = createTrainingRun(parseRecipe({ method: 'vae', model: { hidden: [4] } }, registry), data, registry);
    const wrong = tf.zeros([2, 5]) as tf.Tensor2D;
    expect(() => run.model.logProb!(wrong)).toThrow(/vae\.logProb: expected input of shape \[n, 2\], got \[2, 5\]/);
    expect(() => parseRecipe({ method: 'vae', options: { latentDim: 0 } }, registry)).toThrow(/config\.options\.latentDim/);
    expect(() => createTrainingRun(parseRecipe({ method: 'vae', model: { activation: 'nope' } }, registry), data, registry)).toThrow(
      /vae: model\.activation "nope" is not one of/,
    );
    tf.dispose([data, wrong]);
    run.model.dispose();
  });
});
