// The targets of the curriculum suite. The two mode-collapse benchmarks of the GAN literature:
//   grid: 25 Gaussians at {−4, −2, 0, 2, 4}², standard deviation 0.05 (VEEGAN, Srivastava et al.
//         2017; PacGAN, Lin et al. 2018);
//   ring: 8 Gaussians evenly on the circle of radius 2, standard deviation 0.02 (Unrolled GAN,
//         Metz et al. 2017);
// equal weights, plus the two moons (FFJORD's variant), which have no modes to count, and the
// checkerboard (FFJORD, torchcfm; square side 2), whose modes are its 8 black squares; and the
// MNIST digits (mnist-target.ts: images, measured by pfm's LeNet rather than by distances in the plane).
import { createRng, type Rng } from '@pfm/core';
import { checkerboard, moons } from '@pfm/datasets';

/** The targets in the plane (their points are rows `[n, 2]`). */
export const CURRICULUM_POINT_TARGETS = ['grid', 'ring', 'moons', 'checkerboard'] as const;
export type CurriculumPointTarget = (typeof CURRICULUM_POINT_TARGETS)[number];
/** Every target: the plane's, then the MNIST digits (rows `[n, 784]`). */
export const CURRICULUM_TARGETS = [...CURRICULUM_POINT_TARGETS, 'mnist'] as const;
export type CurriculumTarget = (typeof CURRICULUM_TARGETS)[number];

/** The modes of a mixture target: centres `[K][2]` and the common standard deviation σ. */
export interface TargetModes {
  centres: [number, number][];
  std: number;
}

/** The Gaussian modes of `target`, or null for a target without them (moons; the checkerboard's modes are squares: `checkerboardCoverage`). */
export function targetModes(target: CurriculumPointTarget): TargetModes | null {
  if (target === 'grid') {
    const axis = [-4, -2, 0, 2, 4];
    return { centres: axis.flatMap((x) => axis.map((y): [number, number] => [x, y])), std: 0.05 };
  }
  if (target === 'ring') {
    return { centres: Array.from({ length: 8 }, (_, k): [number, number] => [2 * Math.cos((2 * Math.PI * k) / 8), 2 * Math.sin((2 * Math.PI * k) / 8)]), std: 0.02 };
  }
  return null;
}

/** `n` points of `target` (row-major `[n, 2]`) drawn from `rng`. */
export function sampleCurriculumTarget(target: CurriculumPointTarget, n: number, rng: Rng): Float32Array {
  const modes = targetModes(target);
  if (modes === null) {
    const x = (target === 'checkerboard' ? checkerboard() : moons()).sample(n, rng);
    try {
      return x.dataSync() as Float32Array;
    } finally {
      x.dispose();
    }
  }
  const out = new Float32Array(2 * n);
  const noise = rng.normalArray(2 * n);
  for (let i = 0; i < n; i++) {
    const [cx, cy] = modes.centres[rng.int(modes.centres.length)]!;
    out[2 * i] = cx + modes.std * noise[2 * i]!;
    out[2 * i + 1] = cy + modes.std * noise[2 * i + 1]!;
  }
  return out;
}

/** The training set of (target, seed): `n` points from a stream of their own (the same for every method). */
export function trainingSet(target: CurriculumPointTarget, n: number, seed: number): Float32Array {
  return sampleCurriculumTarget(target, n, createRng(seed).fold(CURRICULUM_TARGETS.indexOf(target) + 1).fold(101));
}
