// A minibatch gathered on the host: rows idx[0], idx[1], … of the row-major data `[N, d]`, copied
// with one memcpy per row (TypedArray.set). tf.gather does the same job one element at a time
// with an index computation per element (cpu and wasm backends alike), which made a step on
// wide data (d = 10⁵) spend seconds in the gather alone; this copy moves B·d floats once.
// On backends that copy a tensor's values when it is made (wasm), the trainer refills one array
// for every batch (see reusableBatchArray): a fresh 51 MB array (64 rows of 200,000) costs
// 12,500 page faults on first touch, some 200 ms measured, against 5 ms to refill one.

/**
 * The `[idx.length, cols]` rows of `values` (row-major `[N, cols]`) picked by `idx`, as a
 * row-major array: out[i·cols + j] = values[idx[i]·cols + j]. Written into `into` when given (it
 * must hold exactly idx.length · cols floats), else into a new array. Throws a RangeError on an
 * index outside [0, N).
 */
export function batchRows(values: Float32Array, cols: number, idx: Int32Array, into?: Float32Array): Float32Array {
  const rows = cols === 0 ? 0 : values.length / cols;
  if (into !== undefined && into.length !== idx.length * cols) {
    throw new RangeError(`batchRows: "into" holds ${into.length} floats, expected idx.length · cols = ${idx.length} · ${cols} = ${idx.length * cols}`);
  }
  const out = into ?? new Float32Array(idx.length * cols);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    if (!(r >= 0 && r < rows)) throw new RangeError(`batchRows: row index ${r} at position ${i} is not in [0, ${rows})`);
    out.set(values.subarray(r * cols, (r + 1) * cols), i * cols);
  }
  return out;
}

/** Backends whose tensors copy the values they are made from at once (tfjs-backend-wasm's move). */
const COPYING_BACKENDS: ReadonlySet<string> = new Set(['wasm']);

/**
 * One array of `length` floats that can be refilled for every minibatch of a run, or undefined
 * on `backend` when its tensors keep the array they are made from (cpu keeps it as the tensor's
 * storage; webgl and webgpu until the upload), so each batch needs its own.
 */
export function reusableBatchArray(backend: string, length: number): Float32Array | undefined {
  return COPYING_BACKENDS.has(backend) ? new Float32Array(length) : undefined;
}
