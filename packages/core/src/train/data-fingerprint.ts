// A cheap identity of a training set, so a checkpoint is never resumed on other data by mistake:
// the shape and a 64-bit hash (two 32-bit multiplicative lanes, FNV-1a style) of the float32 bit
// patterns. It detects a different or reordered data set; it is not a cryptographic hash. A
// conditional run's rows of conditions (class labels or context vectors) are part of its data and
// get their own hash, so a checkpoint is not resumed with other labels either.
import type * as tf from '@tensorflow/tfjs-core';

/** The shape `[rows, cols]` of a data set and a hash of its values. */
export interface DataFingerprint {
  rows: number;
  cols: number;
  /** 16 hex digits. */
  hash: string;
  /**
   * The rows of conditions (`[N]` int32 labels or `[N, m]` context) and their hash, for a
   * conditional run; for labels also `classes`, the largest label + 1 (the rows of a class
   * embedding depend on it, so a resume with another count is named as such).
   */
  condition?: { rows: number; hash: string; classes?: number };
}

/**
 * The fingerprint of `data` (`[N, d]`, float32), from its values (one read of the tensor), and of
 * `condition` (`[N]` int32 labels or `[N, m]` float32 context, not owned) when given.
 */
export function dataFingerprint(data: tf.Tensor2D, condition?: tf.Tensor): DataFingerprint {
  if (data.dtype !== 'float32') throw new TypeError(`dataFingerprint: expected float32 data, got ${data.dtype}`);
  const [rows, cols] = data.shape;
  const fingerprint: DataFingerprint = { rows, cols, hash: hashWords(data.dataSync() as Float32Array, rows, cols) };
  if (condition === undefined) return fingerprint;
  if (condition.dtype !== 'int32' && condition.dtype !== 'float32') throw new TypeError(`dataFingerprint: expected int32 or float32 conditions, got ${condition.dtype}`);
  const conditionRows = condition.shape[0] ?? 0;
  // Labels are hashed as int32 whatever array type a backend keeps them in, so the hash is the
  // same on every backend; the dtype is part of the seed (label 1 and context 1.0 differ).
  const raw = condition.dataSync();
  const values = condition.dtype === 'int32' ? (raw instanceof Int32Array ? raw : Int32Array.from(raw as ArrayLike<number>)) : (raw as Float32Array);
  const width = condition.size / Math.max(1, conditionRows);
  const hash = hashWords(values, conditionRows, width, condition.dtype === 'int32' ? 0x1 : 0x2);
  if (condition.dtype !== 'int32' || condition.rank !== 1 || values.length === 0) return { ...fingerprint, condition: { rows: conditionRows, hash } };
  let largest = values[0]!;
  for (let i = 1; i < values.length; i++) if (values[i]! > largest) largest = values[i]!;
  return { ...fingerprint, condition: { rows: conditionRows, hash, classes: largest + 1 } };
}

// 16 hex digits from the 32-bit patterns of `values`, seeded by the shape (and a tag).
function hashWords(values: Float32Array | Int32Array, rows: number, cols: number, tag = 0): string {
  // A view of the same bytes (no copy): the hash reads bit patterns, so -0 and 0 differ.
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let a = 0x811c9dc5 ^ rows ^ (tag << 24);
  let b = 0x9747b28c ^ cols;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul(b ^ w, 0x5bd1e995);
    b ^= b >>> 15;
  }
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
  return hex(a) + hex(b);
}
