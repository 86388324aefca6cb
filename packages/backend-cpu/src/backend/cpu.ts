import * as tf from '@tensorflow/tfjs-core';
import { loadCpuBackend } from './load-cpu-backend.js';
import { silenceNodeBanner } from './silence-node-banner.js';

/** The object `cpu()` returns; structurally a `BackendProvider` of `@pfm/core`. */
export interface CpuBackendProvider {
  /** The tfjs backend name, `'cpu'`. */
  readonly name: 'cpu';
  /** Selects tfjs's CPU backend and resolves once it is active; rejects if it cannot start. */
  init(): Promise<void>;
}

/**
 * The reference backend: tfjs's plain-JavaScript CPU kernels. Slow but simple; every other
 * backend is tested against it.
 *
 * `init()` registers tfjs's CPU backend and tfjs's gradients if no import did yet, calls
 * `tf.setBackend('cpu')`, awaits `tf.ready()` and mutes the CPU backend's
 * "you are running TensorFlow.js in Node.js" banner.
 *
 * @example
 * ```ts
 * import { cpu } from '@pfm/backend-cpu';
 * await cpu().init();
 * ```
 */
export function cpu(): CpuBackendProvider {
  return {
    name: 'cpu',
    async init(): Promise<void> {
      await loadCpuBackend();
      let started: boolean;
      try {
        started = await tf.setBackend('cpu');
      } catch (error) {
        throw new Error(`@pfm/backend-cpu: tf.setBackend('cpu') threw: ${describe(error)}`);
      }
      if (!started) {
        throw new Error("@pfm/backend-cpu: the tfjs 'cpu' backend could not be initialised (tf.setBackend('cpu') returned false)");
      }
      await tf.ready();
      if (tf.getBackend() !== 'cpu') {
        throw new Error(`@pfm/backend-cpu: expected the active tfjs backend to be 'cpu' after init, got '${tf.getBackend()}'`);
      }
      // Before any tensor is written to the fresh backend, so the banner never fires.
      silenceNodeBanner(tf.findBackend('cpu'));
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
