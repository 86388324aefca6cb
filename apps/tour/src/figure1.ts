// Fig. 1 of "Touring sampling with pushforward maps": a map φ pushing N(0, 1) to Uniform(0, 1),
// learned by the mean formulation D₂ over the Fourier features x ↦ e^{2πikx}, k = 1..10, with
// uniform weights τ. The exact monotone answers are the Gaussian CDF Φ(z) = ½(1 + erf(z/√2)) and
// 1 − Φ; the figure draws φ against Φ.
import * as tf from '@tensorflow/tfjs-core';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, trainRecipe, type PushforwardMap, type Registry } from '@pfm/core';
import { lineSvg } from './svg.js';

/** Φ by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return 0.5 * (1 + Math.sign(z) * erf);
}

export interface Figure1Result {
  /** max over z ∈ [−2, 2] of |φ(z) − Φ(z)| (or of |φ − (1 − Φ)| if φ decreases). */
  maxError: number;
  steps: number;
  seconds: number;
}

export async function runFigure1(registry: Registry, outDir: string, steps = 1500): Promise<Figure1Result | undefined> {
  if (!registry.has('objective', 'fourier')) return undefined;
  const data = tf.tensor2d(createRng(11).uniformArray(2048), [2048, 1]);
  const k = Array.from({ length: 10 }, (_, i) => [i + 1]);
  try {
    const { model, result } = await trainRecipe(
      {
        method: 'fourier',
        options: { loss: { frequencies: k, weights: k.map(() => 1), estimator: 'biased' } },
        model: { hidden: [32, 32], activation: 'tanh', outputActivation: 'sigmoid' },
        optimizer: { lr: 1e-2, schedule: { name: 'cosine' } },
        steps,
        batchSize: 512,
        seed: 2,
      },
      data,
      { registry },
    );
    try {
      const zs = Array.from({ length: 121 }, (_, i) => -3 + i * 0.05);
      const generator = model.maps.generator as PushforwardMap;
      const phi = tf.tidy(() => Array.from(generator.apply(tf.tensor2d(zs, [zs.length, 1])).dataSync()));
      const decreasing = phi[phi.length - 1]! < phi[0]!;
      const cdf = zs.map((z) => (decreasing ? 1 - normalCdf(z) : normalCdf(z)));
      const maxError = Math.max(...zs.map((z, i) => (Math.abs(z) <= 2 ? Math.abs(phi[i]! - cdf[i]!) : 0)));
      const svg = lineSvg('Fig. 1: learned φ(z) and the Gaussian CDF, z ∈ [−3, 3]', [
        { label: decreasing ? '1 − Φ(z)' : 'Φ(z)', color: '#1f77b4', points: cdf },
        { label: 'learned φ(z)', color: '#d62728', points: phi },
      ], { width: 520, height: 260 });
      await writeFile(join(outDir, 'figure-1.svg'), svg);
      return { maxError, steps: result.steps, seconds: result.seconds };
    } finally {
      model.dispose();
    }
  } finally {
    data.dispose();
  }
}
