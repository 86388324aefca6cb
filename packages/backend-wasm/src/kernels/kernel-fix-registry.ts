// Remembers which wasm kernels have been replaced and what they replaced. The state lives on
// globalThis (like tfjs's own kernel registry), so two copies of this package (say an ESM and
// a CJS build in one process) agree on it and never wrap a corrected kernel a second time.
import type * as tf from '@tensorflow/tfjs-core';

const FIXED = Symbol.for('@pfm/backend-wasm:fixed-kernel');
const STOCK = Symbol.for('@pfm/backend-wasm:stock-kernels');

type Marked = tf.KernelFunc & { [FIXED]?: true };
type Store = typeof globalThis & { [STOCK]?: Map<string, tf.KernelConfig> };

/** Marks, recognises and remembers replaced wasm kernels. */
export const kernelFixRegistry = {
  /** Tags a corrected kernel function so that it is recognised later. */
  mark(kernelFunc: tf.KernelFunc): tf.KernelFunc {
    (kernelFunc as Marked)[FIXED] = true;
    return kernelFunc;
  },

  /** Whether `kernelFunc` is one of the corrected kernels. */
  isFixed(kernelFunc: tf.KernelFunc | undefined): boolean {
    return kernelFunc != null && (kernelFunc as Marked)[FIXED] === true;
  },

  /** Keeps the stock config that a corrected kernel replaced. */
  saveStock(config: tf.KernelConfig): void {
    stockMap().set(config.kernelName, config);
  },

  /** The stock wasm config replaced for `kernelName`, or undefined if there was none. */
  stock(kernelName: string): tf.KernelConfig | undefined {
    return stockMap().get(kernelName);
  },
};

function stockMap(): Map<string, tf.KernelConfig> {
  const store = globalThis as Store;
  store[STOCK] ??= new Map();
  return store[STOCK];
}
