// Concat (tf.concat, and the gradient of tf.split) on wasm: the inputs joined along `axis`.
// Seen as matrices [outer, inner_i] with outer = ∏ shape[..axis) and inner_i = ∏ shape_i[axis..),
// the output [outer, Σ inner_i] holds input i's rows at columns [Σ_{j<i} inner_j, … + inner_i),
// copied row by row (copy-rows.ts). The stock kernel makes a typed-array `set` per row and
// input, some 50 000 each for the channels of a batch of 64 28×28 images (a U-Net's skip
// concatenation); short rows are copied here value by value instead.
import * as tf from '@tensorflow/tfjs-core';
import { copyRows } from './copy-rows.js';
import { valueBits } from './value-bits.js';
import { isHeapNumeric, type WasmHeapBackend } from './wasm-heap.js';

/**
 * Concat for wasm: inputs of one float32, int32 or bool dtype, equal shapes but on `axis`
 * (attribute, negative counts from the end). Fewer than two non-empty inputs, other dtypes
 * or mixed ones go to `stock` (which shares a lone input's buffer); inconsistent shapes get
 * tfjs's own error (backend_util.assertParamsConsistent).
 */
export function hostConcat(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    // tf.concat passes its tensors as an array in place of the named inputs.
    const inputs = Object.values(args.inputs) as tf.TensorInfo[];
    const first = inputs[0];
    if (first === undefined || !isHeapNumeric(first.dtype) || inputs.some((t) => t.dtype !== first.dtype)) return stock(args);
    const axis = tf.util.parseAxisParam((args.attrs?.axis ?? 0) as number, first.shape)[0] as number;
    const shapes = inputs.map((t) => t.shape);
    tf.backend_util.assertParamsConsistent(shapes, axis);
    const parts = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    if (parts.length < 2) return stock(args);
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput(tf.backend_util.computeOutShape(shapes, axis), first.dtype);
    const outer = tf.util.sizeFromShape(first.shape.slice(0, axis));
    const widths = parts.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
    const total = widths.reduce((a, b) => a + b, 0);
    const target = valueBits(backend.typedArrayFromHeap(out));
    let column = 0;
    parts.forEach((part, i) => {
      const width = widths[i] as number;
      copyRows({ values: valueBits(backend.typedArrayFromHeap(part)), offset: 0, stride: width }, { values: target, offset: column, stride: total }, outer, width);
      column += width;
    });
    return out;
  };
}
