// A strided block copy, the one loop behind Concat and SplitV along any axis: seen as
// [outer, inner] matrices, a concatenation along an axis writes each input's rows side by side
// and a split reads them back,
//   target[r·targetStride + targetOffset + k] = source[r·sourceStride + sourceOffset + k],  k < width.
// Short rows are copied value by value (a typed-array `set` costs some 30 ns of call overhead
// per row, more than copying 16 values); rows of 32 values or more are copied with `set`.
import type { PermutableArray } from './permute-values.js';

/** Rows at least this long are copied with `TypedArray.prototype.set` (measured break-even between 16 and 32). */
const SET_FROM = 32;

/** One side of a strided copy: the values, where row 0 starts and the distance between rows. */
export interface RowLayout {
  values: PermutableArray;
  offset: number;
  stride: number;
}

/**
 * Copies `rows` rows of `width` values from `source` to `target` (same element type, no
 * overlap). Contiguous blocks (both strides equal to `width`) are one `set`.
 */
export function copyRows(source: RowLayout, target: RowLayout, rows: number, width: number): void {
  if (rows === 0 || width === 0) return;
  const from = source.values;
  const to = target.values;
  if (source.stride === width && target.stride === width) {
    to.set(from.subarray(source.offset, source.offset + rows * width), target.offset);
    return;
  }
  let s = source.offset;
  let t = target.offset;
  if (width >= SET_FROM) {
    for (let r = 0; r < rows; r++, s += source.stride, t += target.stride) to.set(from.subarray(s, s + width), t);
    return;
  }
  const sourceStep = source.stride - width;
  const targetStep = target.stride - width;
  for (let r = 0; r < rows; r++, s += sourceStep, t += targetStep) {
    for (let k = 0; k < width; k++) to[t++] = from[s++] as number;
  }
}
