import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { kernelFixRegistry } from './kernel-fix-registry.js';
import { registerWasmKernelFixes } from './register-wasm-kernel-fixes.js';

const FIXED = ['BatchMatMul', '_FusedMatMul', 'GatherV2', 'UnsortedSegmentSum', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'StridedSlice', 'Identity', 'Cast', 'Transpose', 'Sum', 'Mean', 'Max', 'Min', 'Prod'];

describe('registerWasmKernelFixes', () => {
  it('registers a corrected wasm kernel for each defect and keeps the stock ones aside', () => {
    registerWasmKernelFixes();
    for (const name of FIXED) {
      const config = tf.getKernel(name, 'wasm');
      expect(config?.backendName, name).toBe('wasm');
      expect(kernelFixRegistry.isFixed(config?.kernelFunc), name).toBe(true);
    }
    for (const name of ['BatchMatMul', '_FusedMatMul', 'GatherV2', 'Conv2DBackpropInput', 'MaxPoolGrad', 'StridedSlice', 'Identity', 'Cast']) {
      const stock = kernelFixRegistry.stock(name);
      expect(stock, name).toBeDefined();
      expect(kernelFixRegistry.isFixed(stock?.kernelFunc), name).toBe(false);
      // The stock setup (binding to the wasm module) must still run when the backend starts.
      expect(tf.getKernel(name, 'wasm')?.setupFunc, name).toBe(stock?.setupFunc);
    }
    // Other kernels are left alone (the stock Conv2D, XNNPACK's convolution, is faster than im2col + matMul).
    expect(kernelFixRegistry.isFixed(tf.getKernel('Conv2D', 'wasm')?.kernelFunc)).toBe(false);
  });

  it('is idempotent: a second call keeps the same kernels and does not wrap them again', () => {
    registerWasmKernelFixes();
    const before = FIXED.map((name) => tf.getKernel(name, 'wasm')?.kernelFunc);
    const stockBefore = FIXED.map((name) => kernelFixRegistry.stock(name));
    registerWasmKernelFixes();
    expect(FIXED.map((name) => tf.getKernel(name, 'wasm')?.kernelFunc)).toEqual(before);
    expect(FIXED.map((name) => kernelFixRegistry.stock(name))).toEqual(stockBefore);
  });

  it('leaves kernels of other backends alone', () => {
    registerWasmKernelFixes();
    for (const name of FIXED) {
      expect(kernelFixRegistry.isFixed(tf.getKernel(name, 'cpu')?.kernelFunc), name).toBe(false);
    }
  });
});
