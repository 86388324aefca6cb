// Runs the PyTorch twin of the image speed cases (reference/mnist-twin.py --speed), one process
// per case and thread count with OMP_NUM_THREADS and torch.set_num_threads set to it, and checks
// that the twin's network has as many parameters as pfm's.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { appRoot } from '../app-root.js';
import { imageTrainSteps, type ImageTrainCase } from './image-train.js';
import { median } from './median.js';

/** The twin, relative to the @pfm/bench folder. */
export const MNIST_TWIN = 'reference/mnist-twin.py';

/**
 * Median steps/s of the twin of case `id` by thread count, and one failure per thread count that
 * did not run or whose network's parameter count differs from `expectedParameters` (pfm's).
 */
export function runImageTrainTwin(
  python: string,
  id: ImageTrainCase,
  expectedParameters: number | undefined,
  settings: { repeats: number; trainSteps: number; threads: number[] },
): { stepsPerSecond: Record<number, number>; failures: string[] } {
  const stepsPerSecond: Record<number, number> = {};
  const failures: string[] = [];
  for (const threads of settings.threads) {
    const cfg = { case: id, threads, repeats: settings.repeats, steps: imageTrainSteps(settings.trainSteps) };
    const r = spawnSync(python, [join(appRoot(), MNIST_TWIN), '--speed', JSON.stringify(cfg)], {
      encoding: 'utf8',
      timeout: 1_800_000,
      env: { ...process.env, OMP_NUM_THREADS: String(threads) },
    });
    const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) {
      failures.push(`${id} twin at ${threads} thread(s): ${(r.stderr ?? r.error?.message ?? '').trim().split('\n').pop()}`);
      continue;
    }
    const out = JSON.parse(line) as { parameters: number; stepsPerSecond: number[] };
    if (expectedParameters !== undefined && out.parameters !== expectedParameters) {
      failures.push(`${id} twin has ${out.parameters} parameters, pfm's network ${expectedParameters}: the rates are not comparable`);
      continue;
    }
    if (out.stepsPerSecond.length > 0) stepsPerSecond[threads] = median(out.stepsPerSecond);
  }
  return { stepsPerSecond, failures };
}
