// A minibatch gathered on the host: rows idx[0], idx[1], … of the row-major data `[N, d]`, copied
// with one memcpy per row (TypedArray.set). tf.gather does the same job one element at a time
// with an index computation per element (cpu and wasm backends alike), which made a step on
// wide data (d = 10⁵) spend seconds in the gather alone; this copy moves B·d floats once.

/**
 * The `[idx.length, cols]` rows of `values` (row-major `[N, cols]`) picked by `idx`, as a new
 * row-major array: out[i·cols + j] = values[idx[i]·cols + j]. Throws a RangeError on an index
 * outside [0, N).
 */
export function batchRows(values: Float32Array, cols: number, idx: Int32Array): Float32Array {
  const rows = cols === 0 ? 0 : values.length / cols;
  const out = new Float32Array(idx.length * cols);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    if (!(r >= 0 && r < rows)) throw new RangeError(`batchRows: row index ${r} at position ${i} is not in [0, ${rows})`);
    out.set(values.subarray(r * cols, (r + 1) * cols), i * cols);
  }
  return out;
}
