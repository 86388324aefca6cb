import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { wasm } from '../backend/wasm.js';
import { wasmThreads } from '../backend/wasm-threads.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

const HOST = ['Exp', 'Selu', 'Select', 'Slice', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'Minimum', 'Maximum'];

interface WasmBackendView {
  numDataIds(): number;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

describe('host elementwise kernels after wasm().init()', () => {
  it('are the registered wasm kernels, with the stock ones kept aside and their setup still bound', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      for (const name of HOST) {
        const config = tf.getKernel(name, 'wasm');
        expect(kernelFixRegistry.isFixed(config?.kernelFunc), name).toBe(true);
        const stock = kernelFixRegistry.stock(name);
        expect(kernelFixRegistry.isFixed(stock?.kernelFunc), name).toBe(false);
        // The host kernels hand some cases to the stock kernel, which needs its setup (cwrap).
        expect(config?.setupFunc, name).toBe(stock?.setupFunc);
        expect(kernelFixRegistry.isFixed(tf.getKernel(name, 'cpu')?.kernelFunc), name).toBe(false);
      }
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('leave no buffer behind on the wasm heap, on fast paths and delegated ones', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const backend = tf.backend() as unknown as WasmBackendView;
      const before = backend.numDataIds();
      tf.tidy(() => {
        const x = tf.tensor2d([1, -2, 3, -4, 0, 6], [3, 2]);
        const row = tf.tensor2d([0.5, -1], [1, 2]);
        const column = tf.tensor2d([1, 0, -1], [3, 1]);
        tf.exp(x).dataSync();
        tf.selu(x).dataSync();
        tf.where(tf.greater(x, 0), x, tf.neg(x)).dataSync();
        tf.minimum(x, row).dataSync();
        tf.maximum(x, column).dataSync(); // delegated
      });
      expect(backend.numDataIds()).toBe(before);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('on a machine with more than one core, the default start is the threaded build, whose heap is a SharedArrayBuffer (the kernels tested here ran on it)', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const threads = wasmThreads();
      const x = tf.tensor1d([1, 2, 3]);
      const heap = (tf.backend() as unknown as WasmBackendView).typedArrayFromHeap({ dataId: x.dataId, shape: x.shape, dtype: x.dtype });
      const isShared = typeof SharedArrayBuffer !== 'undefined' && heap.buffer instanceof SharedArrayBuffer;
      x.dispose();
      expect(isShared).toBe(threads?.loader === 'node-threaded-simd');
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
