// Mode coverage and sample quality on a mixture target, as in the mode-collapse benchmarks
// (Metz et al. 2017; Srivastava et al. 2017; Lin et al. 2018): a sample is *high quality* when it
// lies within 3σ of the nearest mode's centre; a mode is *covered* when at least a quarter of its
// fair share of the n samples, n/(4K), are high-quality samples near it (for n = 2,500 on the 5×5
// grid: 25 samples; the count threshold makes a stray point not count as a recovered mode).
// A short run rarely gets within 3σ (0.06 on the ring) of anything, so collapse is also measured
// coarsely: a mode is *reached* when as many samples lie within half the distance from its centre to
// the nearest other centre (1 on the grid, 0.77 on the ring): a generator that drops modes reaches
// fewer, however blurred its samples are.
import type { TargetModes } from './curriculum-targets.js';

/** Coverage of one sample. */
export interface ModeCoverage {
  /** Modes covered (out of `modes`). */
  covered: number;
  modes: number;
  /** Modes with n/(4K) samples within half the distance to the nearest other mode. */
  reached: number;
  /** Fraction of samples within 3σ of a mode. */
  highQuality: number;
  /** Samples that are not finite numbers (a diverged generator). */
  nonFinite: number;
}

/** Coverage of `x` (row-major `[n, 2]`) against `modes`. */
export function modeCoverage(x: Float32Array, modes: TargetModes): ModeCoverage {
  const n = x.length / 2;
  const K = modes.centres.length;
  const counts = new Array<number>(K).fill(0);
  const near = new Array<number>(K).fill(0);
  let spacing2 = Infinity;
  for (let a = 0; a < K; a++) {
    for (let b = a + 1; b < K; b++) spacing2 = Math.min(spacing2, (modes.centres[a]![0] - modes.centres[b]![0]) ** 2 + (modes.centres[a]![1] - modes.centres[b]![1]) ** 2);
  }
  const half2 = spacing2 / 4;
  const radius2 = (3 * modes.std) ** 2;
  let good = 0;
  let nonFinite = 0;
  for (let i = 0; i < n; i++) {
    const px = x[2 * i]!;
    const py = x[2 * i + 1]!;
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      nonFinite++;
      continue;
    }
    let best = Infinity;
    let arg = 0;
    for (let k = 0; k < K; k++) {
      const [cx, cy] = modes.centres[k]!;
      const d2 = (px - cx) ** 2 + (py - cy) ** 2;
      if (d2 < best) {
        best = d2;
        arg = k;
      }
    }
    if (best <= half2) near[arg]!++;
    if (best <= radius2) {
      good++;
      counts[arg]!++;
    }
  }
  const threshold = n / (4 * K);
  const count = (c: number[]) => c.filter((v) => v >= threshold && v > 0).length;
  return { covered: count(counts), reached: count(near), modes: K, highQuality: n > 0 ? good / n : 0, nonFinite };
}
