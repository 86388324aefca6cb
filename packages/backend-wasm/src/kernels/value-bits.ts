// Host kernels that only move values copy float32 as their 32 bits (an Int32Array view of the
// same memory): every NaN payload and −0 survives, which a copy through JavaScript numbers
// does not promise.
import type { PermutableArray } from './permute-values.js';

/** `values` as 4-byte integer lanes when float32, unchanged otherwise (int32, bool bytes). */
export function valueBits(values: Float32Array | Int32Array | Uint8Array): PermutableArray {
  return values instanceof Float32Array ? new Int32Array(values.buffer, values.byteOffset, values.length) : values;
}
