import type * as tf from '@tensorflow/tfjs-core';

type KernelFunc = tf.KernelConfig['kernelFunc'];

/**
 * What this package registered in place of tfjs-backend-webgpu's kernels: the corrected kernel
 * functions (so that registering again changes nothing) and the stock function each replaced
 * (for the tests that show the defect).
 */
export const kernelFixRegistry = {
  corrected: new WeakSet<KernelFunc>(),
  stock: new Map<string, KernelFunc>(),
  /** Records that `corrected` replaced `stock` for `kernelName`. */
  record(kernelName: string, corrected: KernelFunc, stock: KernelFunc): void {
    this.corrected.add(corrected);
    this.stock.set(kernelName, stock);
  },
  /** Whether `kernelFunc` is one of this package's corrections. */
  isFixed(kernelFunc: KernelFunc | undefined): boolean {
    return kernelFunc !== undefined && this.corrected.has(kernelFunc);
  },
  /** The stock kernel function replaced for `kernelName`; throws if none was. */
  stockKernel(kernelName: string): KernelFunc {
    const found = this.stock.get(kernelName);
    if (found === undefined) {
      throw new Error(`kernelFixRegistry.stockKernel: no corrected webgpu kernel named ${JSON.stringify(kernelName)} is registered (corrected: ${[...this.stock.keys()].join(', ') || 'none yet'})`);
    }
    return found;
  },
};
