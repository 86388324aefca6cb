// Whether a soak's memory stayed flat: numTensors exactly constant after the first sample, and RSS
// fitted by least squares against the step over the last 90% of the steps (the first 10% are
// warm-up: allocator pools, JIT, the wasm heap reaching its working size) growing by at most a bound.
import { leastSquaresSlope } from './least-squares-slope.js';

/** One memory sample of a soak. */
export interface SoakSample {
  step: number;
  /** tf.memory().numTensors (null when not observable, e.g. a child process). */
  numTensors: number | null;
  /** Resident set size, bytes. */
  rss: number;
  /** Bytes of the wasm heap (null on another backend or in a child process). */
  wasmHeap: number | null;
  seconds: number;
}

/** The verdict on a series of samples. */
export interface SoakVerdict {
  ok: boolean;
  /** Why it failed (empty when ok). */
  failures: string[];
  /** Least-squares slope of RSS over the fitted samples, bytes/step. */
  rssSlopeBytesPerStep: number;
  /** slope × (last fitted step − first fitted step), MiB. */
  rssFittedGrowthMiB: number;
  /** The first step of the fit. */
  fitFromStep: number;
  /** The smallest and largest numTensors after the first sample (null when not observable). */
  numTensorsRange: [number, number] | null;
  /** Wasm heap growth over the fitted samples, MiB (null when not observable). */
  wasmHeapGrowthMiB: number | null;
}

const MiB = 1024 * 1024;

/**
 * Judges `samples` (in step order, the first taken before training) of a run of `steps` steps:
 * fails when numTensors differs between any two samples taken after the first step, or when the
 * fitted RSS growth exceeds `maxRssGrowthMiB`. Needs at least 3 samples at or after 10% of the steps.
 */
export function soakVerdict(samples: readonly SoakSample[], steps: number, maxRssGrowthMiB: number): SoakVerdict {
  const fitted = samples.filter((s) => s.step >= steps / 10);
  if (fitted.length < 3) throw new RangeError(`soak: ${fitted.length} memory sample(s) in the last 90% of the steps; expected at least 3 (sample more often)`);
  const failures: string[] = [];
  const { slope } = leastSquaresSlope(
    fitted.map((s) => s.step),
    fitted.map((s) => s.rss),
  );
  const fitFromStep = fitted[0]!.step;
  const growth = (slope * (fitted[fitted.length - 1]!.step - fitFromStep)) / MiB;
  if (growth > maxRssGrowthMiB) {
    failures.push(`RSS grows by ${slope.toFixed(1)} bytes/step, ${growth.toFixed(1)} MiB over steps ${fitFromStep}–${fitted[fitted.length - 1]!.step}; the bound is ${maxRssGrowthMiB} MiB`);
  }
  const counted = samples.filter((s) => s.step > 0 && s.numTensors !== null).map((s) => [s.step, s.numTensors!] as const);
  let numTensorsRange: [number, number] | null = null;
  if (counted.length > 0) {
    const counts = counted.map(([, n]) => n);
    numTensorsRange = [Math.min(...counts), Math.max(...counts)];
    const changed = counted.find(([, n]) => n !== counted[0]![1]);
    if (changed) failures.push(`numTensors changes during training: ${counted[0]![1]} at step ${counted[0]![0]}, ${changed[1]} at step ${changed[0]}`);
  }
  const heaps = fitted.filter((s) => s.wasmHeap !== null).map((s) => s.wasmHeap!);
  const wasmHeapGrowthMiB = heaps.length > 0 ? (heaps[heaps.length - 1]! - heaps[0]!) / MiB : null;
  return { ok: failures.length === 0, failures, rssSlopeBytesPerStep: slope, rssFittedGrowthMiB: growth, fitFromStep, numTensorsRange, wasmHeapGrowthMiB };
}
