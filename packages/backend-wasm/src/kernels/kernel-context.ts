// The corrected kernels are built from the wasm backend's own kernels (Transpose, the stock
// BatchMatMul, ScatterNd, ...), called directly as kernel functions. Their outputs are raw
// TensorInfos that the engine does not track, so each corrected kernel frees its
// intermediates itself; this context records them and frees them in one place.
import * as tf from '@tensorflow/tfjs-core';

/** The part of tfjs-backend-wasm's `BackendWasm` that the corrected kernels use. */
interface WasmBackendHandle {
  /** The backend's record of each buffer: the shape it was written or allocated with. */
  dataIdMap: { get(dataId: tf.DataId): { shape: number[] } | undefined };
  readSync(dataId: tf.DataId): tf.BackendValues;
  write(values: tf.BackendValues | null, shape: number[], dtype: tf.DataType): tf.DataId;
  disposeData(dataId: tf.DataId): boolean;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Runs wasm kernels from inside a kernel and frees the intermediates it made.
 * Use as `const ctx = new KernelContext(backend); try { ...; return ctx.keep(out); } finally { ctx.dispose(); }`.
 */
export class KernelContext {
  readonly backend: WasmBackendHandle;
  private readonly intermediates: tf.TensorInfo[] = [];

  constructor(backend: unknown) {
    this.backend = backend as WasmBackendHandle;
  }

  /** Runs the kernel currently registered for wasm under `kernelName`; its output is freed by `dispose` unless kept. */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const config = tf.getKernel(kernelName, 'wasm');
    if (config == null) {
      throw new Error(`@pfm/backend-wasm: the wasm kernel '${kernelName}' is not registered (is @tensorflow/tfjs-backend-wasm 4.22 loaded?)`);
    }
    return this.call(config.kernelFunc, inputs, attrs);
  }

  /** Runs a given kernel function (e.g. a stock kernel kept aside); its output is freed by `dispose` unless kept. */
  call(kernelFunc: tf.KernelFunc, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const out = kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) {
      for (const info of out) this.intermediates.push(info);
      throw new Error('@pfm/backend-wasm: expected a single-output kernel');
    }
    this.intermediates.push(out);
    return out;
  }

  /** Uploads `values` as a new int32/float32 tensor of `shape`; freed by `dispose` unless kept. */
  upload(values: Int32Array | Float32Array, shape: number[], dtype: 'int32' | 'float32'): tf.TensorInfo {
    const info = { dataId: this.backend.write(values, shape, dtype), shape, dtype };
    this.intermediates.push(info);
    return info;
  }

  /** A fresh zero-filled output of `shape` (the wasm heap is not zeroed by allocation). */
  zeros(shape: number[], dtype: tf.DataType): tf.TensorInfo {
    const out = this.backend.makeOutput(shape, dtype);
    this.intermediates.push(out);
    if (tf.util.sizeFromShape(shape) > 0) this.backend.typedArrayFromHeap(out).fill(0);
    return out;
  }

  /** A fresh output of `shape` whose values are whatever the heap held: the caller writes every one before it is read. */
  empty(shape: number[], dtype: tf.DataType): tf.TensorInfo {
    const out = this.backend.makeOutput(shape, dtype);
    this.intermediates.push(out);
    return out;
  }

  /** A fresh copy of `info`'s values with `shape` (same size): a buffer of its own, whose stored shape is `shape`. */
  copy(info: tf.TensorInfo, shape: number[] = info.shape): tf.TensorInfo {
    const out = this.backend.makeOutput(shape, info.dtype);
    this.intermediates.push(out);
    if (tf.util.sizeFromShape(shape) > 0) this.backend.typedArrayFromHeap(out).set(this.backend.typedArrayFromHeap({ ...info, shape }));
    return out;
  }

  /**
   * `info` itself when its buffer was made with its shape, else a copy with a buffer of its own.
   * The stock matMul kernels cache the packed right operand by buffer id, shape not included: a
   * buffer seen under two shapes (a weight and its reshape, or a [1, n] weight and its shared
   * [n, 1] transpose) is multiplied with the first shape's packing, which aborts the wasm module.
   */
  ownLayout(info: tf.TensorInfo): tf.TensorInfo {
    const stored = this.backend.dataIdMap.get(info.dataId)?.shape;
    if (stored !== undefined && stored.length === info.shape.length && stored.every((d, i) => d === info.shape[i])) return info;
    return this.copy(info);
  }

  /** Reads a tensor's values back from the wasm heap (a copy). */
  read(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array {
    return this.backend.readSync(info.dataId) as Float32Array | Int32Array | Uint8Array;
  }

  /**
   * The same data seen with another shape of equal size. A view shares the data without a
   * reference of its own: pass it to kernels, never return or free it.
   */
  view(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return { dataId: info.dataId, shape, dtype: info.dtype };
  }

  /** Marks `info` as the kernel's result: `dispose` will not free it. Its shape may be renamed. */
  keep(info: tf.TensorInfo, shape: number[] = info.shape): tf.TensorInfo {
    const at = this.intermediates.indexOf(info);
    if (at >= 0) this.intermediates.splice(at, 1);
    info.shape = shape;
    return info;
  }

  /** Frees every intermediate not kept. */
  dispose(): void {
    for (const info of this.intermediates.splice(0)) this.backend.disposeData(info.dataId);
  }
}
