// SplitV (tf.split, and the gradient of tf.concat) on wasm: x cut along `axis` into pieces of
// the given sizes. Seen as a matrix [outer, inner] with outer = ∏ shape[..axis) and inner =
// ∏ shape[axis..), piece j is the block of columns [c_j, c_j + s_j·after) (after = ∏ shape(axis..]),
// copied row by row (copy-rows.ts). The stock kernel slices each piece with a typed-array
// `set` per innermost row, some 50 000 calls per piece for the channels of a batch of 64
// 28×28 images: the gradient of a U-Net's skip concatenations took 10% of its training step.
import * as tf from '@tensorflow/tfjs-core';
import { copyRows } from './copy-rows.js';
import { valueBits } from './value-bits.js';
import { isHeapNumeric, type WasmHeapBackend } from './wasm-heap.js';

/**
 * SplitV for wasm: input x, attributes `numOrSizeSplits` (a count of equal pieces, or sizes
 * with at most one −1) and `axis` (negative counts from the end). float32, int32 and bool run
 * here; other dtypes go to `stock`. Bad sizes get tfjs's own error (backend_util.prepareSplitSize).
 */
export function hostSplitV(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (!isHeapNumeric(x.dtype)) return stock(args);
    const attrs = (args.attrs ?? {}) as { numOrSizeSplits?: number | number[]; axis?: number };
    const axis = tf.util.parseAxisParam(attrs.axis ?? 0, x.shape)[0] as number;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits as number | number[], axis);
    const backend = args.backend as WasmHeapBackend;
    const outer = tf.util.sizeFromShape(x.shape.slice(0, axis));
    const after = tf.util.sizeFromShape(x.shape.slice(axis + 1));
    const inner = (x.shape[axis] as number) * after;
    // Every output is allocated before any heap view is taken (an allocation may grow the heap).
    const outs = sizes.map((size) => backend.makeOutput(x.shape.map((d, i) => (i === axis ? size : d)), x.dtype));
    if (outer * inner === 0) return outs;
    const source = valueBits(backend.typedArrayFromHeap(x));
    let column = 0;
    outs.forEach((out, j) => {
      const width = (sizes[j] as number) * after;
      copyRows({ values: source, offset: column, stride: inner }, { values: valueBits(backend.typedArrayFromHeap(out)), offset: 0, stride: width }, outer, width);
      column += width;
    });
    return outs;
  };
}
