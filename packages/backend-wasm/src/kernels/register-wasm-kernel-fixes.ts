import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { fixedBatchMatMul } from './batch-mat-mul.js';
import { fixedFusedMatMul } from './fused-mat-mul.js';
import { fixedGatherV2 } from './gather-v2.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';
import { sharedIdentity, sharedSameDtypeCast } from './shared-identity.js';
import { fixedStridedSlice } from './strided-slice.js';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum.js';

interface KernelFix {
  kernelName: string;
  /** Builds the corrected kernel from the stock one (absent when tfjs has none). */
  build(stock: tf.KernelFunc | undefined): tf.KernelFunc;
  /** Whether a stock wasm kernel must exist to be corrected. */
  needsStock: boolean;
}

const FIXES: KernelFix[] = [
  { kernelName: 'BatchMatMul', needsStock: true, build: (stock) => fixedBatchMatMul(stock as tf.KernelFunc) },
  { kernelName: '_FusedMatMul', needsStock: true, build: (stock) => fixedFusedMatMul(stock as tf.KernelFunc) },
  { kernelName: 'GatherV2', needsStock: true, build: (stock) => fixedGatherV2(stock as tf.KernelFunc) },
  { kernelName: 'UnsortedSegmentSum', needsStock: false, build: () => unsortedSegmentSumKernel },
  { kernelName: 'StridedSlice', needsStock: true, build: (stock) => fixedStridedSlice(stock as tf.KernelFunc) },
  { kernelName: 'Identity', needsStock: true, build: (stock) => sharedIdentity(stock as tf.KernelFunc) },
  { kernelName: 'Cast', needsStock: true, build: (stock) => sharedSameDtypeCast(stock as tf.KernelFunc) },
];

/**
 * Replaces the wasm kernels of tfjs-backend-wasm 4.22 that are wrong, slow or missing:
 * `_FusedMatMul` (wrong with a bias and a transpose or a batch), `GatherV2` (wrong for
 * batchDims > 0), `BatchMatMul` (10-20x slower with a transpose), `UnsortedSegmentSum`
 * (absent; the gradient of tf.gather needs it) and `StridedSlice` (a strided int32 or bool
 * slice comes back labelled float32), `Cast` to bool (2 stays 2 instead of becoming true),
 * and makes `Identity` and same-dtype `Cast` share the input's buffer instead of copying it
 * (some 40 copies per training step). Each corrected kernel calls the stock wasm kernels, so
 * it stays fast. Idempotent; `wasm().init()` calls it.
 */
export function registerWasmKernelFixes(): void {
  for (const fix of FIXES) {
    const stock = tf.getKernel(fix.kernelName, 'wasm');
    if (stock != null && kernelFixRegistry.isFixed(stock.kernelFunc)) continue;
    if (stock == null && fix.needsStock) {
      throw new Error(
        `@pfm/backend-wasm: the wasm kernel '${fix.kernelName}' is not registered; ` +
          'expected @tensorflow/tfjs-backend-wasm 4.22 to be loaded with its kernels',
      );
    }
    const kernelFunc = kernelFixRegistry.mark(fix.build(stock?.kernelFunc));
    if (stock != null) {
      kernelFixRegistry.saveStock(stock);
      tf.unregisterKernel(fix.kernelName, 'wasm');
    }
    const config: tf.KernelConfig = { kernelName: fix.kernelName, backendName: 'wasm', kernelFunc };
    // The stock setup binds the stock kernel to the wasm module; the corrected kernel calls
    // the stock one, so the setup must still run whenever the backend starts.
    if (stock?.setupFunc != null) config.setupFunc = stock.setupFunc;
    if (stock?.disposeFunc != null) config.disposeFunc = stock.disposeFunc;
    tf.registerKernel(config);
  }
}
