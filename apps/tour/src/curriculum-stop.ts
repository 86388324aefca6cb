// The tour's curriculum stop: the paper's closing proposal (section 4) on the standard mode-collapse
// benchmark. The non-saturating GAN is trained on the 5×5 grid of Gaussians (centres {−4, −2, 0, 2, 4}²,
// σ = 0.05; VEEGAN, PacGAN) twice at the same small budget, plain and inside the diffusion-path
// curriculum (identity start, then 4 levels from noisy to sharp data, the same loss each level), and the
// two sample clouds are drawn side by side. It trains live (a few hundred steps each, seconds on wasm);
// the measured answer at larger budgets is the bench's `--suite curriculum`, quoted in the report.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, trainRecipe, type RecipeInput, type Registry } from '@pfm/core';
import { scatterSvg } from './svg.js';

/** How the stop is named in the report. */
export const CURRICULUM_STOP_TITLE = 'GAN with and without the diffusion-path curriculum (5×5 grid)';

/** The conclusion of the measured experiment (docs/curriculum.md: 5 seeds × 600 steps, then 5–10 seeds × 2,000 steps; MNIST 5 seeds × 150 steps). */
export const CURRICULUM_CONCLUSION =
  'Negative at the measured budgets: walking the target along the OU path, with the identity start and four levels, ' +
  'does not make GAN or WGAN-GP training on the mode-collapse benchmarks measurably better — after 600 steps (5 seeds) ' +
  'or 2,000 steps (5 to 10 seeds per objective and target, 10 for the GAN on the grid), at equal steps or at equal CPU ' +
  'time, no metric improves beyond seed noise and the failure rate does not change — while it costs the one-sided ' +
  'WGAN-GP, the energy and the MMD generators sharpness. On MNIST (a conv generator, 150 steps, 5 seeds) it ' +
  'worsens the energy generator’s FLD and makes the GAN collapse to blank images in 2 of 5 seeds (none plain). ' +
  'The only sign in the paper’s favour is a smaller spread of the GAN’s results across seeds on the points in the plane.';

/** The 25 centres of the grid. */
const AXIS = [-4, -2, 0, 2, 4];
const STD = 0.05;

/** `n` points of the 5×5 grid of Gaussians, row-major `[n, 2]`. */
export function gridOfGaussians(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const noise = rng.normalArray(2 * n);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = AXIS[rng.int(5)]! + STD * noise[2 * i]!;
    out[2 * i + 1] = AXIS[rng.int(5)]! + STD * noise[2 * i + 1]!;
  }
  return out;
}

/**
 * Modes *reached*: centres that have at least a quarter of their fair share, n/100, of the samples
 * within half the spacing (1) of them — the coarse collapse measure of the bench's curriculum suite.
 */
export function gridModesReached(x: ArrayLike<number>): number {
  const n = x.length / 2;
  const counts = new Array<number>(25).fill(0);
  for (let i = 0; i < n; i++) {
    const [u, v] = [x[2 * i]!, x[2 * i + 1]!];
    if (!Number.isFinite(u) || !Number.isFinite(v)) continue;
    const a = Math.round((u + 4) / 2);
    const b = Math.round((v + 4) / 2);
    if (a < 0 || a > 4 || b < 0 || b > 4) continue;
    if (Math.hypot(u - AXIS[a]!, v - AXIS[b]!) <= 1) counts[5 * a + b]!++;
  }
  return counts.filter((c) => c > 0 && c >= n / 100).length;
}

/** The two recipes of the stop, with the bench's schedule: ⌈T/20⌉ identity steps, then 4 levels (the last gets the rest). */
export function curriculumStopRecipes(steps: number): { plain: RecipeInput; curriculum: RecipeInput } {
  if (!Number.isSafeInteger(steps) || steps < 8) throw new RangeError(`curriculum stop: steps must be an integer ≥ 8 (identity steps and 4 levels), got ${steps}`);
  const common = { model: { hidden: [64, 64, 64], activation: 'silu' }, optimizer: { name: 'adam', lr: 1e-3 }, steps, batchSize: 256, seed: 1 };
  const identitySteps = Math.max(1, Math.ceil(steps / 20));
  const early = Math.floor((steps - identitySteps) / 6);
  const stepsPerLevel = [early, early, early, steps - identitySteps - 3 * early];
  return {
    plain: { method: 'gan', ...common } as RecipeInput,
    curriculum: { method: 'curriculum', options: { objective: { id: 'gan', options: {} }, levels: 4, stepsPerLevel, init: 'identity', identitySteps }, ...common } as RecipeInput,
  };
}

/** One side of the stop. */
export interface CurriculumSideResult {
  variant: 'plain' | 'curriculum';
  steps: number;
  trainSeconds: number;
  /** Modes reached out of 25 ({@link gridModesReached}). */
  modesReached: number;
  /** Energy distance between the samples and as many held-out grid points. */
  energyDistance: number;
  /** The SVG of the samples over the data, in the output folder. */
  figure: string;
}

export interface CurriculumStopResult {
  title: string;
  sides: CurriculumSideResult[];
  conclusion: string;
}

/**
 * Trains both recipes of {@link curriculumStopRecipes} on 4,000 grid points, samples 1,000 points of each
 * and writes `curriculum-plain.svg` and `curriculum-curriculum.svg`. Undefined when the registry has
 * no `gan` or no `curriculum` objective or no `energy` discrepancy.
 */
export async function runCurriculumStop(
  registry: Registry,
  outDir: string,
  steps: number,
  onProgress?: (step: number, steps: number, loss: number, etaSeconds: number) => void,
): Promise<CurriculumStopResult | undefined> {
  const recipes = curriculumStopRecipes(steps);
  if (!registry.has('objective', 'gan') || !registry.has('objective', 'curriculum') || !registry.has('discrepancy', 'energy')) return undefined;
  const trainValues = gridOfGaussians(4000, 11);
  const testValues = gridOfGaussians(1000, 12);
  const train = tf.tensor2d(trainValues, [4000, 2]);
  const test = tf.tensor2d(testValues, [1000, 2]);
  const energy = registry.create('discrepancy', { id: 'energy' });
  const sides: CurriculumSideResult[] = [];
  try {
    for (const variant of ['plain', 'curriculum'] as const) {
      const { model, result } = await trainRecipe(recipes[variant], train, {
        registry,
        progressEvery: 10,
        ...(onProgress ? { onProgress: (p) => onProgress(p.step, p.steps, p.loss, p.etaSeconds) } : {}),
      });
      try {
        const samples = model.sample(1000, createRng(3));
        const values = samples.dataSync().slice();
        const energyDistance = tf.tidy(() => energy(samples, test).dataSync()[0]!);
        samples.dispose();
        const figure = `curriculum-${variant}.svg`;
        const modesReached = gridModesReached(values);
        await writeFile(
          join(outDir, figure),
          scatterSvg(`GAN ${variant === 'plain' ? 'plain' : 'with curriculum'}: ${modesReached}/25 modes reached`, [
            { label: 'grid data', color: '#1f77b4', points: testValues },
            { label: 'samples', color: '#d62728', points: values },
          ]),
        );
        sides.push({ variant, steps: result.steps, trainSeconds: result.seconds, modesReached, energyDistance, figure });
      } finally {
        model.dispose();
      }
    }
  } finally {
    tf.dispose([train, test]);
  }
  return { title: CURRICULUM_STOP_TITLE, sides, conclusion: CURRICULUM_CONCLUSION };
}
