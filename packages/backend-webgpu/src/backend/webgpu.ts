import * as tf from '@tensorflow/tfjs-core';
import { loadWebgpuBackend } from './load-webgpu-backend.js';
import { checkSyncReads } from './check-sync-reads.js';
import { missingWebgpu } from './missing-webgpu.js';
import { registerWebgpuKernelFixes } from '../kernels/register-webgpu-kernel-fixes.js';
import { registerPairwiseKernels } from '../pairwise/register-pairwise-kernels.js';


/** The object `webgpu()` returns; structurally a `BackendProvider` of `@pfm/core`. */
export interface WebgpuBackendProvider {
  /** The tfjs backend name, `'webgpu'`. */
  readonly name: 'webgpu';
  /** Selects tfjs's WebGPU backend and resolves once it is active; rejects if it cannot start. */
  init(): Promise<void>;
}

/**
 * tfjs's WebGPU backend: kernels as WGSL compute shaders on the GPU. Where `navigator.gpu`
 * exists (Chromium-based browsers, secure pages); Node.js has none unless a WebGPU
 * implementation provides `navigator.gpu` before `init()` runs.
 *
 * `init()` asks `navigator.gpu` for an adapter first, and rejects with an error that says why
 * (no `navigator.gpu`, or no adapter) and names the alternatives, leaving the active backend as
 * it was. Then it registers tfjs's WebGPU backend and tfjs's gradients if no import did yet, and
 * this package's kernel corrections (`registerWebgpuKernelFixes()`) and fused pairwise kernels
 * (`registerPairwiseKernels()`),
 * calls `tf.setBackend('webgpu')`, awaits `tf.ready()` and checks that a synchronous read
 * (`dataSync()`, which pfm's training loop uses) returns the right values: tfjs-backend-webgpu
 * 4.22 reads synchronously through a canvas, which some browsers cannot do (headless Chromium
 * on SwiftShader without `--enable-features=Vulkan` returns zeros and loses the device). If it
 * does not, the webgpu backend is removed (its factory stays registered), the backend that was
 * active before is selected again, and `init()` rejects saying so.
 *
 * @example
 * ```ts
 * import { webgpu } from '@pfm/backend-webgpu';
 * await webgpu().init();
 * ```
 */
export function webgpu(): WebgpuBackendProvider {
  return {
    name: 'webgpu',
    async init(): Promise<void> {
      const missing = await missingWebgpu();
      if (missing !== undefined) {
        throw new Error(`@pfm/backend-webgpu: WebGPU is not available here (${missing}); use @pfm/backend-webgl, @pfm/backend-wasm or @pfm/backend-cpu instead`);
      }
      const previous = activeBackendName();
      await loadWebgpuBackend();
      registerWebgpuKernelFixes();
      registerPairwiseKernels();

      if (tf.findBackendFactory('webgpu') === null) {
        // tfjs-backend-webgpu registers its factory on import only if navigator.gpu existed then.
        throw new Error('@pfm/backend-webgpu: the tfjs webgpu backend factory is not registered (navigator.gpu appeared after @tensorflow/tfjs-backend-webgpu was imported); import this package after navigator.gpu exists');
      }
      let started: boolean;
      try {
        started = await tf.setBackend('webgpu');
      } catch (error) {
        throw new Error(`@pfm/backend-webgpu: tf.setBackend('webgpu') threw: ${describe(error)}`);
      }
      if (!started) {
        throw new Error(
          "@pfm/backend-webgpu: the tfjs 'webgpu' backend could not be initialised (tf.setBackend('webgpu') returned false; the device request may have failed: tfjs logs the cause just before)",
        );
      }
      await tf.ready();
      if (tf.getBackend() !== 'webgpu') {
        throw new Error(`@pfm/backend-webgpu: expected the active tfjs backend to be 'webgpu' after init, got '${tf.getBackend()}'`);
      }
      const broken = checkSyncReads();
      if (broken !== undefined) {
        await dropWebgpu(previous);
        throw new Error(
          `@pfm/backend-webgpu: synchronous reads from the GPU are wrong in this browser (${broken}; tfjs reads through a WebGPU canvas, which this browser cannot copy to a 2-D canvas, e.g. headless Chromium on SwiftShader without --enable-features=Vulkan); pfm's training loop reads synchronously, so use @pfm/backend-webgl, @pfm/backend-wasm or @pfm/backend-cpu instead`,
        );
      }
    },
  };
}

/** The name of the active tfjs backend, or undefined when none has been selected yet. */
function activeBackendName(): string | undefined {
  // tf.getBackend() would start the highest-priority backend when none is active.
  const engine = tf.engine() as unknown as { backendName: string | null };
  return engine.backendName ?? undefined;
}

/**
 * Removes the webgpu backend whose device a failed synchronous read has lost, keeps its factory
 * registered (a later `init()` makes a new device), and selects `previous` again.
 */
async function dropWebgpu(previous: string | undefined): Promise<void> {
  const factory = tf.findBackendFactory('webgpu');
  tf.removeBackend('webgpu');
  if (factory !== null) tf.registerBackend('webgpu', factory, WEBGPU_PRIORITY);
  if (previous !== undefined && previous !== 'webgpu') await tf.setBackend(previous);
}

/** The priority tfjs-backend-webgpu 4.22 registers its factory with. */
const WEBGPU_PRIORITY = 3;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
