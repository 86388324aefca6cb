// Select (tf.where) on wasm: out = condition ? t : e elementwise. The stock kernel copies 4-byte
// elements whatever the dtype, so a bool t and e (1 byte each) come out wrong and it writes past
// the end of the output; it also reads e as t's dtype when they differ. Those two cases run here, in a JavaScript loop over the wasm heap
// (tf.where broadcasts its three inputs to one shape before the kernel, so equal sizes are the
// case that matters); a float32 or int32 select stays with the stock kernel, which is right for
// them and measured no slower than any JavaScript loop (about 2 ns per element either way).
import * as tf from '@tensorflow/tfjs-core';
import { isHeapNumeric, type WasmHeapBackend } from './wasm-heap.js';

/**
 * Select for wasm: condition, t, e of equal size (t's shape is the output's); the output dtype is
 * the upcast of t's and e's, as on the cpu backend, and an element is taken from t where the
 * condition is 1. Runs here for bool t and e and for t and e of different dtypes; every other
 * case (float32 or int32 t and e of one dtype, a condition per row, other dtypes) goes to `stock`.
 */
export function hostSelect(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { condition, t, e } = args.inputs as { condition: tf.TensorInfo; t: tf.TensorInfo; e: tf.TensorInfo };
    if (!isHeapNumeric(condition.dtype) || !isHeapNumeric(t.dtype) || !isHeapNumeric(e.dtype)) return stock(args);
    if (t.dtype === e.dtype && t.dtype !== 'bool') return stock(args);
    const size = tf.util.sizeFromShape(t.shape);
    if (tf.util.sizeFromShape(condition.shape) !== size || tf.util.sizeFromShape(e.shape) !== size) return stock(args);
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput(t.shape, tf.upcastType(t.dtype, e.dtype));
    if (size === 0) return out;
    const mask = backend.typedArrayFromHeap(condition);
    const tValues = backend.typedArrayFromHeap(t);
    const eValues = backend.typedArrayFromHeap(e);
    const result = backend.typedArrayFromHeap(out);
    for (let i = 0; i < size; i++) result[i] = mask[i] === 1 ? tValues[i]! : eValues[i]!;
    return out;
  };
}
