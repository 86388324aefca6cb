// Mode coverage and sample quality on a mixture target, as in the mode-collapse benchmarks
// (Metz et al. 2017; Srivastava et al. 2017; Lin et al. 2018): a sample is *high quality* when it
// lies within 3σ of the nearest mode's centre; a mode is *covered* when at least a quarter of its
// fair share of the n samples, n/(4K), are high-quality samples near it (for n = 2,500 on the 5×5
// grid: 25 samples; the count threshold makes a stray point not count as a recovered mode).
import type { TargetModes } from './curriculum-targets.js';

/** Coverage of one sample. */
export interface ModeCoverage {
  /** Modes covered (out of `modes`). */
  covered: number;
  modes: number;
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
    if (best <= radius2) {
      good++;
      counts[arg]!++;
    }
  }
  const threshold = n / (4 * K);
  return { covered: counts.filter((c) => c >= threshold && c > 0).length, modes: K, highQuality: n > 0 ? good / n : 0, nonFinite };
}
