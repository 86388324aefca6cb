// The messages between the page and the training worker. Point clouds travel as row-major
// Float32Array [n, d] (transferred, not copied); images as flat rows of h·w·c values with their
// shape [h, w, c].

/** A backend the page offers (`webgpu` only where the browser has `navigator.gpu`). */
export type BackendId = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

/** Points `[rows, cols]`, row-major. */
export interface PointTable {
  rows: number;
  cols: number;
  values: Float32Array;
  /** `[h, w, c]` when each row is an image (row-major, channels last; product `cols`). */
  shape?: number[];
  /** The class of each row, 0…classes − 1, when the data have labels (the mode of 8gaussians, the digit of MNIST). */
  labels?: { values: Int32Array; classes: number };
}

/** What the current model is conditioned on, as the page's class picker needs it. */
export interface ModelCondition {
  /** Class labels 0…classes − 1, or a context vector of `contextDim` (sampled at the zero vector). */
  classes?: number;
  contextDim?: number;
  /** Whether classifier-free guidance is defined (a flow trained with condition dropout). */
  guided: boolean;
}

/** Which samples the class picker asks for: one class, or every class (one grid row each). */
export interface ConditionChoice {
  class: number | 'all';
  /** Classifier-free guidance scale w (guided flows only; 1 = conditional). */
  guidance: number;
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
  /**
   * `reference`: held-out points for the sampler comparison (default: the training data).
   * `conditional`: train on `data.labels` (a class-conditional model).
   */
  | { type: 'train'; recipe: unknown; data: PointTable; reference?: PointTable; backend: BackendId; conditional?: boolean }
  /** A saved model file (inline weights): it becomes the current model; `data`/`reference` serve "compare". */
  | { type: 'load-model'; json: string; fileName: string; data: PointTable; reference?: PointTable; backend: BackendId }
  | { type: 'stop' }
  | { type: 'compare' }
  | { type: 'export-model' }
  | { type: 'export-samples'; n: number }
  /** Samples of a conditional model for the picker's choice (also what compare and downloads use next). */
  | { type: 'sample-condition'; choice: ConditionChoice };

export type FromWorker =
  /** The backend that runs; `fallback`: why WebGPU, asked for, could not start (wasm runs instead). */
  | { type: 'backend'; backend: string; fallback?: string }
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
  | { type: 'done'; status: 'completed' | 'aborted' | 'diverged'; steps: number; seconds: number; message?: string; nfe: number; condition?: ModelCondition }
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
      condition?: ModelCondition;
    }
  /** Samples for a class picker choice: `count` rows; images of 'all' in rows of `columns`, one class a row. */
  | { type: 'condition-samples'; choice: ConditionChoice; samples: Float32Array; count: number; columns?: number; nfe: number }
  | { type: 'comparison'; rows: SamplerComparison[]; floor?: number }
  | { type: 'model-file'; json: string; fileName: string }
  /** CSV for vectors; `.npy` bytes of shape (n, h, w, c) for images. */
  | { type: 'samples-file'; content: string | Uint8Array; fileName: string; mimeType: string }
  | { type: 'error'; message: string };

/** Images the page shows in a grid (model samples, or data before there are any). */
export const GRID_IMAGES = 64;

/** Seed of the samples drawn when a model file is loaded (the same file shows the same images). */
export const LOADED_SAMPLE_SEED = 0;
