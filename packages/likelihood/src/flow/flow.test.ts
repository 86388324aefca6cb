// flow(ψ, p₀): the density by the change of variables agrees with the forward pass
// (sampleAndLogProb), with core's pushforward, and with a closed form for an affine ψ.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, gaussian, pushforward } from '@pfm/core';
import { flow } from './flow.js';
import { elementwiseAffine } from '../bijectors/elementwise-affine.js';
import { affineCoupling } from '../bijectors/affine-coupling.js';
import { chain } from '../bijectors/chain.js';

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('flow', () => {
  it('an elementwise affine flow of N(0, I) is N(b, diag e^{2a}) (closed form)', () => {
    const psi = elementwiseAffine({ dim: 2, logScale: 0.4, shift: 1.5 });
    const f = flow(psi, gaussian({ dim: 2 }));
    const exact = gaussian({ mean: [1.5, 1.5], std: Math.exp(0.4) });
    const x = tf.tidy(() => tf.mul(createRng(1).normal([20, 2]), 2) as tf.Tensor2D);
    const [a, b] = [f.logProb(x), exact.logProb(x)];
    expect(maxDiff(a, b)).toBeLessThan(1e-5);
    tf.dispose([x, a, b]);
    psi.dispose();
  });

  it('sampleAndLogProb returns the density of its own samples, and matches core pushforward', () => {
    const psi = chain([affineCoupling({ dim: 2, hidden: [8], finalScale: 1 }, createRng(2)), elementwiseAffine({ dim: 2, logScale: -0.3 })]);
    const base = gaussian({ dim: 2 });
    const f = flow(psi, base);
    const [x, logP] = f.sampleAndLogProb(50, createRng(3));
    const again = f.logProb(x);
    const viaCore = pushforward(psi, base).logProb!(x);
    const samples = f.sample(50, createRng(3));
    expect(maxDiff(again, logP)).toBeLessThan(1e-4);
    expect(maxDiff(viaCore, logP)).toBeLessThan(1e-4);
    expect(maxDiff(samples, x)).toBe(0);
    expect(f.map).toBe(psi);
    tf.dispose([x, logP, again, viaCore, samples]);
    psi.dispose();
  });

  it('rejects a base of another dimension and inputs of the wrong shape', () => {
    const psi = elementwiseAffine({ dim: 2 });
    expect(() => flow(psi, gaussian({ dim: 3 }))).toThrow(/maps R\^2 → R\^2, the base measure lives in R\^3/);
    const f = flow(psi, gaussian({ dim: 2 }));
    const wrong = tf.zeros([4]) as unknown as tf.Tensor2D;
    expect(() => f.logProb(wrong)).toThrow(/flow\.logProb: expected input of shape \[n, 2\], got \[4\]/);
    wrong.dispose();
    psi.dispose();
  });
});
