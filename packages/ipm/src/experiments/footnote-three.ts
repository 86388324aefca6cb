// Footnote 3 of "Touring sampling with pushforward maps" (Cabannes, arXiv:2311.13845, §2): target
// μ₁ = U((0, ¼) ∪ (¾, 1)), generators μ_a = U(a, a + ½) = φ_a#U(0, 1) with φ_a(z) = a + z/2. Over
// one family F of test functions, the max formulation D∞(a) = max_{f∈F} ⟨f|μ₁ − μ_a⟩ played as a
// game (the critic picks f, the generator descends ⟨f|μ₁ − μ_a⟩) cycles between the two modes,
// while the mean formulation D₂²(a) = Σ_f τ_f ⟨f|μ₁ − μ_a⟩² descended by the same generator converges.
import * as tf from '@tensorflow/tfjs-core';
import { createOptimizer, createRng, type Rng } from '@pfm/core';
import { featureDiscrepancy } from '../features/feature-discrepancy.js';
import { gaussianBumpFamily, type GaussianBumpFamily } from './gaussian-bump-family.js';

/** Options of {@link footnoteThree}. */
export interface FootnoteThreeOptions {
  /** Initial generator parameter a₀. Default 0 (the generator covers the left mode). */
  start?: number;
  /** Bump centres c = k/(centers − 1), k = 0..centers − 1, on [0, 1]. Default 17. */
  centers?: number;
  /** Bump width w. Default ¼. */
  width?: number;
  /** Generator learning rate (plain gradient descent), the same for both formulations. Default 0.1. */
  lr?: number;
  /** Generator updates of each formulation. Default 200. */
  steps?: number;
  /** Max formulation: generator updates per critic update. Default 10. */
  generatorStepsPerCritic?: number;
  /** Generated points per update (the data set is used whole). Default 256. */
  batchSize?: number;
  /** Points of the target data set, drawn once, half in each mode (so that its D₂ minimiser is ¼ by symmetry up to sampling within each mode). Default 1024. */
  dataPoints?: number;
  /** Grid of a on which both discrepancies are tabulated. Default 101 points on [−¼, ¾]. */
  grid?: number[];
  seed?: number;
}

/** What {@link footnoteThree} measured. */
export interface FootnoteThreeResult {
  /** The test functions shared by both formulations. */
  family: GaussianBumpFamily;
  /** Max formulation: a after every generator update, and the centre the critic picked at each of its updates. */
  max: { a: number[]; critic: number[] };
  /** Mean formulation: a after every generator update and the loss D₂² before it. */
  mean: { a: number[]; loss: number[] };
  /** D₂²(a) and D∞(a) on the grid, by quadrature (midpoint rule, 256 points per measure). */
  landscape: { a: number[]; mean: number[]; max: number[] };
  /** Grid minimisers of D₂² and D∞. */
  minimiser: { mean: number; max: number };
  /**
   * min_a max_f ⟨f|μ₁ − μ_a⟩ − max_f min_a ⟨f|μ₁ − μ_a⟩ on the grid: positive means the game has no
   * pure saddle point, so alternating play has no fixed point to settle on.
   */
  dualityGap: number;
}

/** x ~ μ₁ = U((0, ¼) ∪ (¾, 1)) from u ~ U(0, ½): x = u below ¼, u + ½ above. */
function targetFromHalfUniform(u: number): number {
  return u < 0.25 ? u : u + 0.5;
}

/** Midpoint-rule points of μ_a (`q` of them) and of μ₁ (`q` of them): ⟨f|μ⟩ ≈ their mean. */
function quadrature(q: number): { z: Float32Array; target: Float32Array } {
  const z = Float32Array.from({ length: q }, (_, i) => (i + 0.5) / q);
  const target = Float32Array.from({ length: q }, (_, i) => targetFromHalfUniform((i + 0.5) / (2 * q)));
  return { z, target };
}

/** ⟨f_c|μ⟩ for every centre: `[n, 1]` points → `[m]` feature means. */
function featureMeans(family: GaussianBumpFamily, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mean(family.features(x), 0) as tf.Tensor1D);
}

/**
 * Runs footnote 3 with Gaussian bumps as the test functions: the same one-parameter generator
 * φ_a(z) = a + z/2, z ~ U(0, 1), trained by gradient descent on a, (1) against a critic that
 * best-responds every `generatorStepsPerCritic` updates with the bump where the target's mass most
 * exceeds the generator's (the max formulation), and (2) on the mean formulation
 * D₂² = Σ τ_c ⟨f_c|μ_a − μ₁⟩² (`featureDiscrepancy`, V-statistic). Also tabulates both
 * discrepancies over a grid of a to locate their minimisers.
 */
export function footnoteThree(options: FootnoteThreeOptions = {}): FootnoteThreeResult {
  const start = options.start ?? 0;
  const count = options.centers ?? 17;
  const width = options.width ?? 0.25;
  const lr = options.lr ?? 0.1;
  const steps = options.steps ?? 200;
  const perCritic = options.generatorStepsPerCritic ?? 10;
  const batchSize = options.batchSize ?? 256;
  const dataPoints = options.dataPoints ?? 1024;
  const grid = options.grid ?? Array.from({ length: 101 }, (_, i) => -0.25 + i / 100);
  const seed = options.seed ?? 0;
  const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
  const checks: [string, number, boolean, string][] = [
    ['start', start, Number.isFinite(start), 'a finite number'],
    ['centers', count, Number.isInteger(count) && count >= 2, 'an integer ≥ 2'],
    ['width', width, Number.isFinite(width) && width > 0, 'a positive number'],
    ['lr', lr, Number.isFinite(lr) && lr > 0, 'a positive number'],
    ['steps', steps, positiveInt(steps), 'a positive integer'],
    ['generatorStepsPerCritic', perCritic, positiveInt(perCritic), 'a positive integer'],
    ['batchSize', batchSize, positiveInt(batchSize), 'a positive integer'],
    ['dataPoints', dataPoints, positiveInt(dataPoints) && dataPoints % 2 === 0, 'an even positive integer'],
  ];
  for (const [field, value, ok, expected] of checks) {
    if (!ok) throw new RangeError(`footnoteThree: "${field}" got ${value}, expected ${expected}`);
  }
  if (grid.length === 0 || !grid.every(Number.isFinite)) throw new RangeError('footnoteThree: "grid" must be a non-empty list of finite numbers');

  const family = gaussianBumpFamily({ centers: Array.from({ length: count }, (_, k) => [k / (count - 1)]), width });
  const rng = createRng(seed);
  // Half the points in each mode: u in (0, ¼) for the first half, (¼, ½) for the second.
  const u = rng.fold(0).uniformArray(dataPoints, 0, 0.25);
  const data = tf.tensor2d(Float32Array.from(u, (v, i) => targetFromHalfUniform(i < dataPoints / 2 ? v : v + 0.25)), [dataPoints, 1]);
  try {
    const dataMeans = featureMeans(family, data);
    try {
      const landscape = tabulate(family, grid);
      const max = playMax(family, dataMeans, { start, lr, steps, perCritic, batchSize, rng: rng.fold(1) });
      const mean = descendMean(family, data, { start, lr, steps, batchSize, rng: rng.fold(2) });
      return { family, max, mean, ...landscape };
    } finally {
      dataMeans.dispose();
    }
  } finally {
    data.dispose();
  }
}

interface PlayOptions {
  start: number;
  lr: number;
  steps: number;
  batchSize: number;
  rng: Rng;
}

/** The generator φ_a(z) = a + z/2 with a as a tf.Variable. */
function generator(start: number) {
  const init = tf.scalar(start);
  const a = tf.variable(init, true);
  init.dispose();
  const sample = (rng: Rng, n: number) => tf.tidy(() => tf.add(a, tf.mul(rng.uniform([n, 1]), 0.5)) as tf.Tensor2D);
  return { a, sample };
}

/** Gradient descent on a against a critic that best-responds every `perCritic` updates. */
function playMax(
  family: GaussianBumpFamily,
  dataMeans: tf.Tensor1D,
  o: PlayOptions & { perCritic: number },
): FootnoteThreeResult['max'] {
  const g = generator(o.start);
  const optimizer = createOptimizer({ name: 'sgd', lr: o.lr }, [g.a]);
  const a: number[] = [];
  const critic: number[] = [];
  try {
    let pick = 0;
    for (let step = 0; step < o.steps; step++) {
      const rng = o.rng.fold(step);
      if (step % o.perCritic === 0) {
        // Critic: f* = argmax_c ⟨f_c|μ₁⟩ − ⟨f_c|μ_a⟩ on a fresh generated batch.
        pick = tf.tidy(() => tf.argMax(tf.sub(dataMeans, featureMeans(family, g.sample(rng.fold(0), o.batchSize)))).dataSync()[0]!);
        critic.push(family.centers[pick]![0]!);
      }
      // Generator: descend ⟨f*|μ₁ − μ_a⟩, i.e. ascend E f*(φ_a(Z)).
      const { value, grads } = tf.variableGrads(
        () => tf.neg(tf.mean(tf.gather(family.features(g.sample(rng.fold(1), o.batchSize)), [pick], 1))) as tf.Scalar,
        [g.a],
      );
      optimizer.apply([grads[g.a.name]!], step, o.steps);
      tf.dispose([value, ...Object.values(grads)]);
      a.push(g.a.dataSync()[0]!);
    }
    return { a, critic };
  } finally {
    optimizer.dispose();
    g.a.dispose();
  }
}

/** Gradient descent on a of the mean formulation D₂²(μ_a, μ₁) over the same family. */
function descendMean(family: GaussianBumpFamily, data: tf.Tensor2D, o: PlayOptions): FootnoteThreeResult['mean'] {
  const g = generator(o.start);
  const optimizer = createOptimizer({ name: 'sgd', lr: o.lr }, [g.a]);
  const a: number[] = [];
  const loss: number[] = [];
  try {
    for (let step = 0; step < o.steps; step++) {
      const rng = o.rng.fold(step);
      const { value, grads } = tf.variableGrads(
        () => featureDiscrepancy(g.sample(rng, o.batchSize), data, { family, estimator: 'biased' }),
        [g.a],
      );
      loss.push(value.dataSync()[0]!);
      optimizer.apply([grads[g.a.name]!], step, o.steps);
      tf.dispose([value, ...Object.values(grads)]);
      a.push(g.a.dataSync()[0]!);
    }
    return { a, loss };
  } finally {
    optimizer.dispose();
    g.a.dispose();
  }
}

/** D₂²(a) (by `featureDiscrepancy`) and D∞(a) on the grid, from midpoint-rule points of μ_a and μ₁. */
function tabulate(family: GaussianBumpFamily, grid: number[]): Pick<FootnoteThreeResult, 'landscape' | 'minimiser' | 'dualityGap'> {
  const q = quadrature(256);
  return tf.tidy(() => {
    const z = tf.tensor2d(q.z, [q.z.length, 1]);
    const target = tf.tensor2d(q.target, [q.target.length, 1]);
    const targetMeans = featureMeans(family, target);
    const meanValues: number[] = [];
    // gaps[i][c] = ⟨f_c|μ₁ − μ_{a_i}⟩
    const gaps: number[][] = [];
    for (const a of grid) {
      const x = tf.add(tf.mul(z, 0.5), a) as tf.Tensor2D;
      meanValues.push(featureDiscrepancy(x, target, { family, estimator: 'biased' }).dataSync()[0]!);
      gaps.push(Array.from(tf.sub(targetMeans, featureMeans(family, x)).dataSync()));
    }
    const maxValues = gaps.map((row) => Math.max(...row));
    const argmin = (v: number[]) => v.reduce((best, x, i) => (x < v[best]! ? i : best), 0);
    const maxMin = Math.max(...family.centers.map((_, c) => Math.min(...gaps.map((row) => row[c]!))));
    return {
      landscape: { a: grid.slice(), mean: meanValues, max: maxValues },
      minimiser: { mean: grid[argmin(meanValues)]!, max: grid[argmin(maxValues)]! },
      dualityGap: Math.min(...maxValues) - maxMin,
    };
  });
}
