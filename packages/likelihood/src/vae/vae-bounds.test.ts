// ELBO ≤ IWAE_K ≤ log p on a linear-Gaussian VAE whose log p is known in closed form:
// z ~ N(0, I_k), x | z ~ N(W z + b, σ² I_d) ⇒ p(x) = N(b, W Wᵀ + σ² I_d); the exact posterior is
// N(Σ Wᵀ(x − b)/σ², Σ), Σ = (I + WᵀW/σ²)⁻¹ (diagonal here: W has orthogonal columns).
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, gaussian } from '@pfm/core';
import { gaussianEncoder, type GaussianEncoder } from './gaussian-encoder.js';
import { gaussianDecoder, type GaussianDecoder } from './gaussian-decoder.js';
import { elbo } from './elbo.js';
import { iwaeBound } from './iwae-bound.js';
import { vaeLogLikelihood } from './vae-log-likelihood.js';

const W = [
  [1, 0.5],
  [0, 1],
  [1, -0.5],
]; // orthogonal columns: WᵀW = diag(2, 1.5)
const b = [0.5, -1, 2];
const sigma = 0.5;
const M = [1 + 2 / sigma ** 2, 1 + 1.5 / sigma ** 2]; // I + WᵀW/σ² = diag(9, 7)
const covariance = [0, 1, 2].map((i) => [0, 1, 2].map((j) => W[i]![0]! * W[j]![0]! + W[i]![1]! * W[j]![1]! + (i === j ? sigma ** 2 : 0)));
const marginal = gaussian({ mean: b, covariance });

/** The linear-Gaussian VAE; `imperfect` moves the encoder away from the exact posterior. */
function linearVae(imperfect: boolean): { encoder: GaussianEncoder; decoder: GaussianDecoder; dispose(): void } {
  const decoder = gaussianDecoder({ latentDim: 2, outputDim: 3, hidden: [], std: sigma, learnStd: false }, createRng(0));
  const encoder = gaussianEncoder({ inputDim: 3, latentDim: 2, hidden: [], activation: 'linear' }, createRng(0));
  // Decoder: x̂ = z Wᵀ + b (kernel [2, 3] = Wᵀ).
  tf.tidy(() => {
    decoder.variables[0]!.assign(tf.tensor2d([0, 1].map((j) => W.map((row) => row[j]!))));
    decoder.variables[1]!.assign(tf.tensor1d(b));
  });
  // Exact posterior mean m(x) = (x − b) A with A[:, j] = W[:, j]/(σ² M_j); log s_j = −½ log M_j.
  const shrink = imperfect ? 0.7 : 1;
  const A = W.map((row) => row.map((w, j) => (shrink * w) / (sigma ** 2 * M[j]!)));
  const c = [0, 1].map((j) => -b.reduce((s, bi, i) => s + bi * A[i]![j]!, 0) + (imperfect ? 0.3 : 0));
  const logS = M.map((m) => -0.5 * Math.log(m) + (imperfect ? 0.4 : 0));
  tf.tidy(() => {
    encoder.variables[0]!.assign(tf.tensor2d(A.map((row) => [...row, 0, 0])));
    encoder.variables[1]!.assign(tf.tensor1d([...c, ...logS]));
  });
  return { encoder, decoder, dispose: () => (encoder.dispose(), decoder.dispose()) };
}

/** The mean of the tensor `make` returns (made and disposed inside a tidy). */
const mean = (make: () => tf.Tensor) => tf.tidy(() => tf.mean(make()).dataSync()[0]!);

describe('ELBO and IWAE bounds on a linear-Gaussian VAE', () => {
  it('with the exact posterior as encoder, ELBO = IWAE_K = log p(x) for every sample', () => {
    const vae = linearVae(false);
    const x = marginal.sample(50, createRng(1));
    const logP = marginal.logProb(x);
    // The Monte Carlo KL: then every term log p(x|z) + log p(z) − log q(z|x) equals log p(x)
    // (with the closed-form KL, only the expectation does).
    const e = elbo(vae, x, { rng: createRng(2), samples: 3, analyticKl: false });
    const i5 = iwaeBound(vae, x, { rng: createRng(3), samples: 5 });
    const ll = vaeLogLikelihood(vae, x, { samples: 100 });
    // Every importance weight equals p(x): only float32 rounding separates them.
    for (const t of [e, i5, ll]) expect(tf.tidy(() => tf.max(tf.abs(tf.sub(t, logP))).dataSync()[0]!)).toBeLessThan(2e-4);
    tf.dispose([x, logP, e, i5, ll]);
    vae.dispose();
  });

  it('with an imperfect encoder, E[ELBO] < E[IWAE_5] < E[IWAE_50] < log p(x), and IS with K = 2000 ≈ log p', () => {
    const vae = linearVae(true);
    const x = marginal.sample(400, createRng(4));
    const logP = mean(() => marginal.logProb(x));
    // Averages over 400 points (and 64 reparameterised draws for the ELBO) make the Monte Carlo
    // error (≈ 0.005) small beside the gaps between the bounds (≥ 0.05 here).
    const e = mean(() => elbo(vae, x, { rng: createRng(5), samples: 64 }));
    const i5 = mean(() => iwaeBound(vae, x, { rng: createRng(6), samples: 5 }));
    const i50 = mean(() => iwaeBound(vae, x, { rng: createRng(7), samples: 50 }));
    const ll = mean(() => vaeLogLikelihood(vae, x, { samples: 2000, rng: createRng(8) }));
    expect(e).toBeLessThan(i5 - 0.05);
    expect(i5).toBeLessThan(i50);
    expect(i50).toBeLessThan(logP);
    expect(Math.abs(ll - logP)).toBeLessThan(0.02);
    expect(logP - e).toBeGreaterThan(0.2); // the encoder is really imperfect
    x.dispose();
    vae.dispose();
  });

  it('the IWAE bound increases with K in expectation, from the ELBO (K = 1) towards log p', () => {
    const vae = linearVae(true);
    const x = marginal.sample(200, createRng(9));
    const logP = mean(() => marginal.logProb(x));
    // 8 replicates × 200 points per K; the standard error of each average is below 0.01.
    const bound = (K: number) => {
      let s = 0;
      for (let r = 0; r < 8; r++) s += mean(() => iwaeBound(vae, x, { rng: createRng(100 * K + r), samples: K }));
      return s / 8;
    };
    const Ks = [1, 2, 4, 16, 64];
    const values = Ks.map(bound);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
    // L_1 is the ELBO with a Monte Carlo KL (same expectation as the closed-form one).
    const e = mean(() => elbo(vae, x, { rng: createRng(10), samples: 256 }));
    expect(Math.abs(values[0]! - e)).toBeLessThan(0.03);
    expect(values[values.length - 1]!).toBeLessThan(logP);
    expect(logP - values[values.length - 1]!).toBeLessThan(0.1);
    x.dispose();
    vae.dispose();
  });

  it('the closed-form KL and its Monte Carlo estimate give the same ELBO in expectation', () => {
    const vae = linearVae(true);
    const x = marginal.sample(200, createRng(11));
    const analytic = mean(() => elbo(vae, x, { rng: createRng(12), samples: 64 }));
    const monteCarlo = mean(() => elbo(vae, x, { rng: createRng(12), samples: 64, analyticKl: false }));
    expect(Math.abs(analytic - monteCarlo)).toBeLessThan(0.02);
    x.dispose();
    vae.dispose();
  });
});
