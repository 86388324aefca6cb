import * as tf from '@tensorflow/tfjs-core';
import { loadWebglBackend } from './load-webgl-backend.js';

/** The object `webgl()` returns; structurally a `BackendProvider` of `@pfm/core`. */
export interface WebglBackendProvider {
  /** The tfjs backend name, `'webgl'`. */
  readonly name: 'webgl';
  /** Selects tfjs's WebGL backend and resolves once it is active; rejects if it cannot start. */
  init(): Promise<void>;
}

/**
 * tfjs's WebGL backend: kernels as fragment shaders on the GPU. Browsers only (a page or a
 * worker with OffscreenCanvas); Node.js has no WebGL, so `init()` rejects there.
 *
 * `init()` checks that a WebGL context can be created, registers tfjs's WebGL backend and tfjs's
 * gradients if no import did yet, calls `tf.setBackend('webgl')` and awaits
 * `tf.ready()`; every failure rejects with an error that says why and what to use instead.
 *
 * @example
 * ```ts
 * import { webgl } from '@pfm/backend-webgl';
 * await webgl().init();
 * ```
 */
export function webgl(): WebglBackendProvider {
  return {
    name: 'webgl',
    async init(): Promise<void> {
      const missing = missingWebgl();
      if (missing !== undefined) {
        throw new Error(`@pfm/backend-webgl: WebGL is not available here (${missing}); use @pfm/backend-wasm or @pfm/backend-cpu instead`);
      }
      await loadWebglBackend();
      let started: boolean;
      try {
        started = await tf.setBackend('webgl');
      } catch (error) {
        throw new Error(`@pfm/backend-webgl: tf.setBackend('webgl') threw: ${describe(error)}`);
      }
      if (!started) {
        throw new Error(
          "@pfm/backend-webgl: the tfjs 'webgl' backend could not be initialised (tf.setBackend('webgl') returned false; the GPU or driver may refuse WebGL)",
        );
      }
      await tf.ready();
      if (tf.getBackend() !== 'webgl') {
        throw new Error(`@pfm/backend-webgl: expected the active tfjs backend to be 'webgl' after init, got '${tf.getBackend()}'`);
      }
    },
  };
}

/** Why no WebGL context can be made in this environment, or undefined if one can be tried. */
function missingWebgl(): string | undefined {
  const scope = globalThis as { document?: unknown; OffscreenCanvas?: unknown };
  if (typeof scope.document === 'undefined' && typeof scope.OffscreenCanvas === 'undefined') {
    return 'no document and no OffscreenCanvas: this is not a browser page or worker, e.g. Node.js';
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
