// What the conformance page hands back to the test (plain JSON).
import type { TrainingOutcome } from './training-cases.js';

/** A tensor read back: shape, dtype and values. */
export interface Computed {
  shape: number[];
  dtype: string;
  values: number[];
}

/** The summary of one random tensor made on one backend. */
export interface RandomCheck {
  name: string;
  backend: string;
  shape: number[];
  expectedShape: number[];
  min: number;
  max: number;
  mean: number;
  /** The range the values must lie in ([lo, hi) for uniform draws; ±Infinity for normal ones). */
  lo: number;
  hi: number;
}

export interface ConformanceReport {
  adapter: Record<string, string>;
  initError: string | undefined;
  kernels: { name: string; cpu: Computed[]; webgpu: Computed[]; error: string | undefined; seconds: number }[];
  training: { name: string; cpu?: TrainingOutcome; webgpu?: TrainingOutcome; error?: string; seconds: Record<string, number> }[];
  random: RandomCheck[];
  tensorsBefore: number;
  tensorsAfter: number;
  seconds: Record<string, number>;
}
