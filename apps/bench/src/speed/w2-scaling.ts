// Exact W2 (optimal assignment, on the host in Float64; @pfm/ipm) at growing n against n: the time
// per size and the largest size that finished within the budget. Backend-independent (no tensors).
import { createRng } from '@pfm/core';
import { wasserstein } from '@pfm/ipm';

export interface W2Timing {
  n: number;
  seconds: number;
  w2: number;
}

function cloud(n: number, seed: number, shift: number): number[][] {
  const values = createRng(seed).normalArray(2 * n);
  return Array.from({ length: n }, (_v, i) => [values[2 * i]! + shift, values[2 * i + 1]!]);
}

/**
 * Times `wasserstein(x, y, { p: 2 })` for each n of `sizes` (x ~ N(0, I), y ~ N((1, 0), I)),
 * stopping before a size whose predicted time (cubic growth from the last) exceeds `budgetSeconds`.
 */
export function w2Scaling(sizes: readonly number[], budgetSeconds: number, onSize?: (n: number) => void): { timings: W2Timing[]; skipped: number[] } {
  const timings: W2Timing[] = [];
  const skipped: number[] = [];
  for (const n of sizes) {
    const last = timings[timings.length - 1];
    if (last && last.seconds * (n / last.n) ** 3 > budgetSeconds) {
      skipped.push(n);
      continue;
    }
    onSize?.(n);
    const x = cloud(n, 11, 0);
    const y = cloud(n, 12, 1);
    const start = performance.now();
    const w2 = wasserstein(x, y, { p: 2 }).value;
    timings.push({ n, seconds: (performance.now() - start) / 1000, w2 });
  }
  return { timings, skipped };
}
