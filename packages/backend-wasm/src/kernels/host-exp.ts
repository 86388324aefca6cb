// Exp on wasm as a host kernel: y = e^x by fastExp (table range reduction, within 1 ulp of the
// correctly rounded float32) in a JavaScript loop over the wasm heap. The stock kernel calls
// scalar std::exp per element (this loop measured 1.7-1.8x faster), and gives garbage for a bool
// input. As on the cpu backend the output is float32 for float32, int32 and bool inputs.
import type * as tf from '@tensorflow/tfjs-core';
import { EXP_FRACTION, EXP_POW2, fastExp } from './fast-exp.js';
import { isHeapNumeric, type WasmHeapBackend } from './wasm-heap.js';

/** Exp for wasm: x [...] float32, int32 or bool → float32 [...]; other dtypes go to `stock`. */
export function hostExp(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (!isHeapNumeric(x.dtype)) return stock(args);
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput(x.shape, 'float32');
    const size = x.shape.reduce((a, b) => a * b, 1);
    if (size === 0) return out;
    const values = backend.typedArrayFromHeap(x);
    const result = backend.typedArrayFromHeap(out);
    const pow2 = EXP_POW2;
    const fraction = EXP_FRACTION;
    for (let i = 0; i < size; i++) result[i] = fastExp(values[i]!, pow2, fraction);
    return out;
  };
}
