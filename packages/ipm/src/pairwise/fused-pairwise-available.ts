// The fused pairwise loops read the points with dataSync and run on the host: worth it on backends
// whose tensors already live in (or are read synchronously from) host memory. On asynchronous
// backends (webgl, webgpu) a synchronous read stalls the GPU pipeline, so the composed tfjs ops stay.
import * as tf from '@tensorflow/tfjs-core';

const HOST_BACKENDS = new Set(['cpu', 'wasm', 'tensorflow']);

/** Whether the active tfjs backend reads tensors synchronously from host memory (cpu, wasm, node). */
export function fusedPairwiseAvailable(): boolean {
  return HOST_BACKENDS.has(tf.getBackend());
}
