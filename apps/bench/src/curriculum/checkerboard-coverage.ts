// Quality of a sample of the checkerboard (the 2-D benchmark of the flow-matching literature: FFJORD,
// Grathwohl et al. 2019; torchcfm): the law is uniform on the 8 black squares of a 4×4 board of side
// `scale` (@pfm/datasets `checkerboard`). Its modes are the black squares: a sample is *high quality*
// when it lies on a black square; a square is *covered* when it holds at least a quarter of its fair
// share, n/32, of the samples (the rule of the mixture targets), and *reached* when as many have it as
// their nearest black square within a quarter of a side (a blurred sample still reaches the squares
// it has not dropped; the centre of a white square, half a side from its neighbours, reaches none).
import type { ModeCoverage } from './mode-coverage.js';

/** The 8 black squares of the board: lower-left corners (i, j), i, j ∈ {−2, …, 1}, i + j even (in units of `scale`). */
export const CHECKERBOARD_SQUARES: ReadonlyArray<readonly [number, number]> = [-2, -1, 0, 1].flatMap((i) =>
  [-2, -1, 0, 1].filter((j) => (i + j) % 2 === 0).map((j) => [i, j] as const),
);

/** Coverage of `x` (row-major `[n, 2]`) on the checkerboard of square side `scale` (default 2, as FFJORD). */
export function checkerboardCoverage(x: Float32Array, scale = 2): ModeCoverage {
  const n = x.length / 2;
  const K = CHECKERBOARD_SQUARES.length;
  const on = new Array<number>(K).fill(0);
  const near = new Array<number>(K).fill(0);
  let good = 0;
  let nonFinite = 0;
  for (let r = 0; r < n; r++) {
    const u = x[2 * r]! / scale;
    const v = x[2 * r + 1]! / scale;
    if (!Number.isFinite(u) || !Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    // The nearest black square, by the Euclidean distance from the point to the square.
    let best = Infinity;
    let arg = 0;
    CHECKERBOARD_SQUARES.forEach(([i, j], k) => {
      const d = Math.hypot(Math.max(i - u, 0, u - (i + 1)), Math.max(j - v, 0, v - (j + 1)));
      if (d < best) {
        best = d;
        arg = k;
      }
    });
    if (best === 0) {
      on[arg]!++;
      good++;
    }
    if (best <= 0.25) near[arg]!++;
  }
  const threshold = n / (4 * K);
  const covered = on.filter((c) => c >= threshold && c > 0).length;
  const reached = near.filter((c) => c >= threshold && c > 0).length;
  return { covered, reached, modes: K, highQuality: n > 0 ? good / n : 0, nonFinite };
}
