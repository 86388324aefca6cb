// The messages between the page and the training worker. Point clouds travel as row-major
// Float32Array [n, d] (transferred, not copied); images as flat rows of h·w·c values with their
// shape [h, w, c].

/** A backend the page offers. */
export type BackendId = 'wasm' | 'webgl' | 'cpu';

/** Points `[rows, cols]`, row-major. */
export interface PointTable {
  rows: number;
  cols: number;
  values: Float32Array;
  /** `[h, w, c]` when each row is an image (row-major, channels last; product `cols`). */
  shape?: number[];
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
  /** A saved model file (inline weights): it becomes the current model; `data`/`reference` serve "compare". */
  | { type: 'load-model'; json: string; fileName: string; data: PointTable; reference?: PointTable; backend: BackendId }
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
  | {
      type: 'loaded';
      method: string;
      dim: number;
      eventShape?: number[];
      nfe: number;
      /** Samples drawn right after loading (seed `LOADED_SAMPLE_SEED`), and how long that took. */
      samples: Float32Array;
      count: number;
      sampleMs: number;
    }
  | { type: 'comparison'; rows: SamplerComparison[]; floor?: number }
  | { type: 'model-file'; json: string; fileName: string }
  /** CSV for vectors; `.npy` bytes of shape (n, h, w, c) for images. */
  | { type: 'samples-file'; content: string | Uint8Array; fileName: string; mimeType: string }
  | { type: 'error'; message: string };

/** Images the page shows in a grid (model samples, or data before there are any). */
export const GRID_IMAGES = 64;

/** Seed of the samples drawn when a model file is loaded (the same file shows the same images). */
export const LOADED_SAMPLE_SEED = 0;
