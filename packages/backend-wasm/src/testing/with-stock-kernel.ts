import * as tf from '@tensorflow/tfjs-core';
import { kernelFixRegistry } from '../kernels/kernel-fix-registry.js';

/**
 * Runs `run` with the stock tfjs-backend-wasm kernel registered again under `kernelName`,
 * then puts the corrected kernel back. Lets a test show that the stock kernel fails the
 * comparison that the corrected one passes.
 */
export async function withStockKernel<T>(kernelName: string, run: () => Promise<T>): Promise<T> {
  const stock = kernelFixRegistry.stock(kernelName);
  const fixed = tf.getKernel(kernelName, 'wasm');
  if (stock == null || fixed == null) throw new Error(`no stock and corrected wasm kernels known for '${kernelName}'`);
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel(stock);
  try {
    return await run();
  } finally {
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(fixed);
  }
}
