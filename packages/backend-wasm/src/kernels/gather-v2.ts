// GatherV2 on wasm. With batchDims = 0 and float32 or int32 values it runs here, a JavaScript
// loop over the wasm heap, out[o, j, s] = x[o, indices[j], s]: the stock kernel took about 10×
// longer (6–8 ms against 0.5 ms to permute the 784 columns of a [64, 784] matrix, measured in one
// run), which made the permutations of a coupling flow on images one of its costliest steps.
// With batchDims = b > 0:
//   out[i_0..i_{b-1}, o, j, s] = x[i_0..i_{b-1}, o, indices[i_0..i_{b-1}, j], s]
// (TensorFlow's tf.gather with batch_dims). The stock kernel reads the wrong rows when
// batchDims > 0 (tfjs issue 8658) and runs out of bounds for batchDims = 2. Seeing x as one
// [batch·outer·dim, slice] matrix turns the batched gather into a plain row gather with
// indices (batch·outer + o)·dim + indices[batch, j], which the stock kernel does right.
import * as tf from '@tensorflow/tfjs-core';
import { KernelContext } from './kernel-context.js';
import type { WasmHeapBackend } from './wasm-heap.js';

/**
 * A GatherV2 kernel for wasm that is right for every batchDims. Inputs x: [...], indices
 * int32 whose first batchDims axes equal x's; output shape as tf.gather's.
 */
export function fixedGatherV2(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const batchDims = Number(args.attrs?.batchDims ?? 0);
    if (batchDims === 0) return x.dtype === 'float32' || x.dtype === 'int32' ? hostGather(args, x, indices) : stock(args);
    const axis = tf.util.parseAxisParam(args.attrs?.axis as number, x.shape)[0] as number;
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
      x as tf.Tensor,
      indices as tf.Tensor,
      axis,
      batchDims,
    );
    const { batchSize, outerSize, dimSize, sliceSize, outputShape } = info;

    const ctx = new KernelContext(args.backend);
    try {
      if (tf.util.sizeFromShape(outputShape) === 0 || tf.util.sizeFromShape(x.shape) === 0) {
        return ctx.keep(ctx.zeros(outputShape, x.dtype));
      }
      const picked = ctx.read(indices);
      const perBatch = picked.length / batchSize;
      for (const index of picked) {
        if (!(index >= 0 && index <= dimSize - 1)) {
          throw new Error(`GatherV2: the index value ${index} is not in [0, ${dimSize - 1}]`);
        }
      }
      const rows = new Int32Array(batchSize * outerSize * perBatch);
      for (let batch = 0; batch < batchSize; batch++) {
        for (let outer = 0; outer < outerSize; outer++) {
          const block = batch * outerSize + outer;
          for (let j = 0; j < perBatch; j++) {
            rows[block * perBatch + j] = block * dimSize + (picked[batch * perBatch + j] as number);
          }
        }
      }
      const matrix = ctx.view(x, [batchSize * outerSize * dimSize, sliceSize]);
      const rowIndices = ctx.upload(rows, [rows.length], 'int32');
      const out = ctx.call(stock, { x: matrix, indices: rowIndices }, { axis: 0, batchDims: 0 });
      return ctx.keep(out, outputShape);
    } finally {
      ctx.dispose();
    }
  };
}

/** tf.gather with batchDims 0 of float32 or int32 `x` by int32 `indices`, on the wasm heap. */
function hostGather(args: Parameters<tf.KernelFunc>[0], x: tf.TensorInfo, indices: tf.TensorInfo): tf.TensorInfo {
  const axis = tf.util.parseAxisParam(args.attrs?.axis as number, x.shape)[0] as number;
  const dimSize = x.shape[axis]!;
  const outerSize = tf.util.sizeFromShape(x.shape.slice(0, axis));
  const sliceSize = tf.util.sizeFromShape(x.shape.slice(axis + 1));
  const outputShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const backend = args.backend as WasmHeapBackend;
  const out = backend.makeOutput(outputShape, x.dtype);
  const picked = backend.typedArrayFromHeap(indices);
  const count = picked.length;
  for (let j = 0; j < count; j++) {
    const index = picked[j]!;
    if (!(index >= 0 && index <= dimSize - 1)) throw new Error(`GatherV2: the index value ${index} is not in [0, ${dimSize - 1}]`);
  }
  if (tf.util.sizeFromShape(outputShape) === 0) return out;
  // Views after the allocation (it may grow the heap).
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  let q = 0;
  for (let o = 0; o < outerSize; o++) {
    const base = o * dimSize * sliceSize;
    if (sliceSize === 1) {
      for (let j = 0; j < count; j++) to[q++] = from[base + picked[j]!]!;
    } else {
      for (let j = 0; j < count; j++) {
        const start = base + picked[j]! * sliceSize;
        to.set(from.subarray(start, start + sliceSize), q);
        q += sliceSize;
      }
    }
  }
  return out;
}
