import type { ConditionSpec } from '../contracts/condition.js';

/** One named weight tensor of a map: `values` holds prod(shape) float32 numbers, row-major. */
export interface WeightRecord {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** A map as stored in a model file: its registry id (`type`), its options and its weights in order. */
export interface MapRecord {
  type: string;
  options: Record<string, unknown>;
  weights: WeightRecord[];
}

/**
 * Everything a model file holds, in memory. Only plain data: nothing in it is code, and loading
 * it rebuilds the model through the registry.
 */
export interface ModelFileContent {
  /** Objective id, kebab-case (`flow-matching`, `mmd`, …). */
  method: string;
  /** The objective's options, plain JSON. */
  options: Record<string, unknown>;
  /** Dimension of the samples, a positive integer. */
  dim: number;
  /**
   * The shape of one sample when it is more than a vector (`[h, w, c]` for images); its product
   * is `dim`. Optional: files without it describe vectors.
   */
  eventShape?: number[];
  /**
   * What the model is conditioned on: `{ kind: 'class', classes: K }` or `{ kind: 'context', dim: m }`.
   * Optional: files without it (every file written before conditions existed) are unconditional.
   */
  condition?: ConditionSpec;
  /** Plugins the model needs, with the versions that wrote it. */
  plugins: { name: string; version: string }[];
  /** The networks by role (`generator`, `velocity`, …). */
  maps: Record<string, MapRecord>;
  /** Other state (normalisation constants, schedules), plain JSON. */
  extra: Record<string, unknown>;
  /** How it was trained (steps, seed, finalLoss, seconds, …), plain JSON. */
  training?: Record<string, unknown>;
}

/** The `format` field of every model file. */
export const MODEL_FILE_FORMAT = 'pfm-model';

/** The model file version this pfm writes and the newest it reads. */
export const MODEL_FILE_VERSION = 1;

/** Default limits of the model-file decoder. */
export const MODEL_FILE_LIMITS = {
  /** Largest JSON text, in UTF-16 code units (256 Mi). */
  maxJsonLength: 256 * 1024 * 1024,
  /** Largest total of declared weights, in bytes of float32 (2^31 = 2 GiB). */
  maxWeightBytes: 2 ** 31,
  /** Deepest nesting of `options`, `extra` and `training` values (an object counts one level). */
  maxDepth: 32,
  /** Most dimensions of one weight tensor. */
  maxRank: 8,
} as const;
