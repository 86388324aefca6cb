// UnsortedSegmentSum on wasm (tfjs 4.22 has none, and the gradient of tf.gather needs it):
//   out[s, ...] = Σ_{i : segmentIds[i] = s} x[i, ...],   s = 0 .. numSegments-1,
// as tf.unsortedSegmentSum (TensorFlow's unsorted_segment_sum). Like the cpu backend, rows
// whose id is negative or ≥ numSegments are dropped, and the result is float32.
// Done by the wasm ScatterNd kernel, which adds updates that share an index.
import * as tf from '@tensorflow/tfjs-core';
import { KernelContext } from './kernel-context.js';

/**
 * UnsortedSegmentSum for wasm. Inputs x: [n, ...rest], segmentIds: int32 [n]; attribute
 * numSegments; output float32 [numSegments, ...rest].
 */
export const unsortedSegmentSumKernel: tf.KernelFunc = (args) => {
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = Number(args.attrs?.numSegments);
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`UnsortedSegmentSum: numSegments must be a non-negative integer, got ${args.attrs?.numSegments}.`);
  }
  if (segmentIds.shape.length !== 1 || x.shape.length === 0 || segmentIds.shape[0] !== x.shape[0]) {
    throw new Error(
      `UnsortedSegmentSum on wasm: segmentIds must have shape [n] with n = x.shape[0]; got segmentIds ` +
        `[${segmentIds.shape}] for x [${x.shape}] (flatten both first: x to [n, ...], segmentIds to [n]).`,
    );
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') {
    throw new Error(`UnsortedSegmentSum on wasm: x must be float32, int32 or bool, got ${x.dtype}.`);
  }
  const rows = x.shape[0] as number;
  const rest = x.shape.slice(1);
  const slice = tf.util.sizeFromShape(rest);
  const outShape = [numSegments, ...rest];

  const ctx = new KernelContext(args.backend);
  try {
    if (rows === 0 || tf.util.sizeFromShape(outShape) === 0) return ctx.keep(ctx.zeros(outShape, 'float32'));
    const values = x.dtype === 'float32' ? x : ctx.run('Cast', { x }, { dtype: 'float32' });
    const updates = ctx.view(values, [rows, slice]);
    const ids = ctx.read(segmentIds);
    let dropped = 0;
    for (const id of ids) if (id < 0 || id >= numSegments) dropped++;
    if (dropped === 0) {
      const out = ctx.run('ScatterNd', { indices: ctx.view(segmentIds, [rows, 1]), updates }, { shape: [numSegments, slice] });
      return ctx.keep(out, outShape);
    }
    // Rows with an id outside [0, numSegments) go to one extra segment, cut off afterwards.
    const kept = Int32Array.from(ids, (id) => (id < 0 || id >= numSegments ? numSegments : id));
    const indices = ctx.upload(kept, [rows, 1], 'int32');
    const padded = ctx.run('ScatterNd', { indices, updates }, { shape: [numSegments + 1, slice] });
    const out = ctx.run('Slice', { x: padded }, { begin: [0, 0], size: [numSegments, slice] });
    return ctx.keep(out, outShape);
  } finally {
    ctx.dispose();
  }
};
