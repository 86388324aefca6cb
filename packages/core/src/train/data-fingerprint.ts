// A cheap identity of a training set, so a checkpoint is never resumed on other data by mistake:
// the shape and a 64-bit hash (two 32-bit multiplicative lanes, FNV-1a style) of the float32 bit
// patterns. It detects a different or reordered data set; it is not a cryptographic hash.
import type * as tf from '@tensorflow/tfjs-core';

/** The shape `[rows, cols]` of a data set and a hash of its values. */
export interface DataFingerprint {
  rows: number;
  cols: number;
  /** 16 hex digits. */
  hash: string;
}

/** The fingerprint of `data` (`[N, d]`, float32), from its values (one read of the tensor). */
export function dataFingerprint(data: tf.Tensor2D): DataFingerprint {
  if (data.dtype !== 'float32') throw new TypeError(`dataFingerprint: expected float32 data, got ${data.dtype}`);
  const [rows, cols] = data.shape;
  const values = data.dataSync() as Float32Array;
  // A view of the same bytes (no copy): the hash reads bit patterns, so -0 and 0 differ.
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let a = 0x811c9dc5 ^ rows;
  let b = 0x9747b28c ^ cols;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul(b ^ w, 0x5bd1e995);
    b ^= b >>> 15;
  }
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
  return { rows, cols, hash: hex(a) + hex(b) };
}
