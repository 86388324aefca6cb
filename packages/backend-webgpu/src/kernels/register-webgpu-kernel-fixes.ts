import * as tf from '@tensorflow/tfjs-core';
import { addNInChunks } from './add-n-in-chunks.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

/** Each correction: the kernel it replaces and how it wraps the stock kernel function. */
const FIXES: { kernelName: string; wrap: (stock: tf.KernelConfig['kernelFunc']) => tf.KernelConfig['kernelFunc'] }[] = [
  { kernelName: tf.AddN, wrap: addNInChunks },
];

/**
 * Replaces the kernels of tfjs-backend-webgpu 4.22.0 that are wrong (listed in the package
 * README: `AddN` of 8 or more tensors) with corrected ones built on the stock kernels.
 * Idempotent; does nothing before tfjs-backend-webgpu's kernels are registered (import
 * `@pfm/backend-webgpu` or run `webgpu().init()`, which calls it).
 */
export function registerWebgpuKernelFixes(): void {
  for (const fix of FIXES) {
    const current = tf.getKernel(fix.kernelName, 'webgpu');
    if (current === undefined || kernelFixRegistry.isFixed(current.kernelFunc)) continue;
    const kernelFunc = fix.wrap(current.kernelFunc);
    kernelFixRegistry.record(fix.kernelName, kernelFunc, current.kernelFunc);
    tf.unregisterKernel(fix.kernelName, 'webgpu');
    tf.registerKernel({ ...current, kernelFunc });
  }
}
