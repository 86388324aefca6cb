// Runs the PyTorch twin of the speed case conv-layer-train (reference/conv-layer-train.py), one
// process per thread count with OMP_NUM_THREADS and torch.set_num_threads set to it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { appRoot } from '../app-root.js';
import { convLayerSteps } from './conv-layer-train.js';
import { median } from './median.js';

/** The twin, relative to the @pfm/bench folder. */
export const CONV_LAYER_TWIN = 'reference/conv-layer-train.py';

/** Median steps/s of the twin by thread count, and the error of each thread count that failed. */
export function runConvLayerTwin(
  python: string,
  settings: { repeats: number; trainSteps: number; threads: number[] },
): { stepsPerSecond: Record<number, number>; failures: string[] } {
  const stepsPerSecond: Record<number, number> = {};
  const failures: string[] = [];
  for (const threads of settings.threads) {
    const cfg = { threads, repeats: settings.repeats, steps: convLayerSteps(settings.trainSteps) };
    const r = spawnSync(python, [join(appRoot(), CONV_LAYER_TWIN), JSON.stringify(cfg)], {
      encoding: 'utf8',
      timeout: 1_800_000,
      env: { ...process.env, OMP_NUM_THREADS: String(threads) },
    });
    const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) {
      failures.push(`conv-layer-train twin at ${threads} thread(s): ${(r.stderr ?? r.error?.message ?? '').trim().split('\n').pop()}`);
      continue;
    }
    const rates = (JSON.parse(line) as { stepsPerSecond: number[] }).stepsPerSecond;
    if (rates.length > 0) stepsPerSecond[threads] = median(rates);
  }
  return { stepsPerSecond, failures };
}
