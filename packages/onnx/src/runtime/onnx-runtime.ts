// The part of onnxruntime's JavaScript API (onnxruntime-common, shared by onnxruntime-node and
// onnxruntime-web) that the sampler uses, typed structurally so that either package — or any
// runtime with the same shape — can be passed in and neither is a dependency of this package.

/** A tensor of the runtime: float32 (or int64) data and its dimensions. */
export interface OnnxRuntimeTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  dispose?(): void;
}

/** A model loaded by the runtime (what its `InferenceSession.create` returns), ready to run. */
export interface OnnxInference {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OnnxRuntimeTensor>): Promise<Record<string, OnnxRuntimeTensor>>;
  release?(): Promise<void>;
}

/**
 * An onnxruntime module: `import * as ort from 'onnxruntime-node'` (Node.js, native CPU build) or
 * `import * as ort from 'onnxruntime-web'` (browsers, WebAssembly CPU build).
 */
export interface OnnxRuntime {
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OnnxInference> };
  Tensor: {
    new (type: 'float32', data: Float32Array, dims: readonly number[]): OnnxRuntimeTensor;
    /** Class labels of a conditional graph. */
    new (type: 'int64', data: BigInt64Array, dims: readonly number[]): OnnxRuntimeTensor;
  };
}
