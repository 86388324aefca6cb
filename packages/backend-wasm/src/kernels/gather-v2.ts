// GatherV2 on wasm with batchDims = b > 0:
//   out[i_0..i_{b-1}, o, j, s] = x[i_0..i_{b-1}, o, indices[i_0..i_{b-1}, j], s]
// (TensorFlow's tf.gather with batch_dims). The stock kernel reads the wrong rows when
// batchDims > 0 (tfjs issue 8658) and runs out of bounds for batchDims = 2. Seeing x as one
// [batch·outer·dim, slice] matrix turns the batched gather into a plain row gather with
// indices (batch·outer + o)·dim + indices[batch, j], which the stock kernel does right.
import * as tf from '@tensorflow/tfjs-core';
import { KernelContext } from './kernel-context.js';

/**
 * A GatherV2 kernel for wasm that is right for every batchDims. Inputs x: [...], indices
 * int32 whose first batchDims axes equal x's; output shape as tf.gather's.
 */
export function fixedGatherV2(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const batchDims = Number(args.attrs?.batchDims ?? 0);
    if (batchDims === 0) return stock(args);
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
