// Host kernels compute in JavaScript directly on typed-array views of the wasm heap: nothing is
// copied in or out. The output must be allocated before any view is taken: an allocation may
// grow the heap, and growing a non-shared wasm memory detaches every earlier view (the threaded
// build's SharedArrayBuffer heap keeps them, but one order works for both).
import type * as tf from '@tensorflow/tfjs-core';

/** A tensor's values seen on the wasm heap. */
export type HeapArray = Float32Array | Int32Array | Uint8Array;

/** The part of tfjs-backend-wasm's `BackendWasm` that host kernels use. */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): HeapArray;
}

/** Whether the wasm heap stores `dtype` as plain numbers (float32, int32, bool as 0/1). */
export function isHeapNumeric(dtype: tf.DataType): dtype is 'float32' | 'int32' | 'bool' {
  return dtype === 'float32' || dtype === 'int32' || dtype === 'bool';
}
