// The messages between the page and the training worker. Point clouds travel as row-major
// Float32Array [n, 2] (transferred, not copied).

/** A backend the page offers. */
export type BackendId = 'wasm' | 'webgl' | 'cpu';

/** Points `[rows, cols]`, row-major. */
export interface PointTable {
  rows: number;
  cols: number;
  values: Float32Array;
}

/** One sampler setting measured by "compare samplers". */
export interface SamplerSetting {
  label: string;
  integrator?: string;
  steps?: number;
}

export interface SamplerComparison {
  label: string;
  nfe: number;
  /** Median wall time to draw 1,000 samples (read back to the CPU), ms. */
  msPer1000: number;
  /** Energy distance between 1,000 samples and 1,000 reference points (lower is better). */
  energy: number;
}

export type ToWorker =
  /** `reference`: held-out points for the sampler comparison (default: the training data). */
  | { type: 'train'; recipe: unknown; data: PointTable; reference?: PointTable; backend: BackendId }
  | { type: 'stop' }
  | { type: 'compare' }
  | { type: 'export-model' }
  | { type: 'export-samples'; n: number };

export type FromWorker =
  | { type: 'backend'; backend: string }
  | {
      type: 'progress';
      step: number;
      steps: number;
      /** Losses of the steps since the last progress message, in order. */
      losses: number[];
      stepsPerSecond: number;
      samples?: Float32Array;
      /** Euler trajectories `[frames, paths, 2]` of a velocity field, flattened. */
      trajectories?: { frames: number; paths: number; values: Float32Array };
    }
  | { type: 'done'; status: 'completed' | 'aborted' | 'diverged'; steps: number; seconds: number; message?: string; nfe: number }
  | { type: 'comparison'; rows: SamplerComparison[]; floor?: number }
  | { type: 'model-file'; json: string; fileName: string }
  | { type: 'samples-file'; csv: string; fileName: string }
  | { type: 'error'; message: string };
