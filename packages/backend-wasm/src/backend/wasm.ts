import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelFixes } from '../kernels/register-wasm-kernel-fixes.js';

const BINARY_NAMES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

/** URL of each of tfjs-backend-wasm's three binaries (plain, SIMD, threaded SIMD). */
export type WasmBinaryPaths = Record<(typeof BINARY_NAMES)[number], string>;

/** Options of `wasm()`. */
export interface WasmOptions {
  /**
   * Where the browser fetches the `.wasm` binaries: a folder URL ending in `/` that holds all
   * three, or one URL per binary. Not needed in Node.js, where they are read from
   * tfjs-backend-wasm's own `dist` folder. Without it a browser fetches them from the folder
   * of the script (tfjs's default), which a bundler such as Vite does not provide by itself.
   */
  wasmPaths?: string | WasmBinaryPaths;
}

/** The object `wasm()` returns; structurally a `BackendProvider` of `@pfm/core`. */
export interface WasmBackendProvider {
  /** The tfjs backend name, `'wasm'`. */
  readonly name: 'wasm';
  /** Corrects the wasm kernels, selects the wasm backend and resolves once it is active; rejects if it cannot start. */
  init(): Promise<void>;
}

/**
 * The WebAssembly backend (XNNPACK kernels, SIMD when available), with the kernels of
 * tfjs-backend-wasm 4.22 that are wrong, slow or missing replaced (see
 * `registerWasmKernelFixes`). Works in Node.js without options.
 *
 * `init()` registers the corrected kernels, points tfjs at `wasmPaths` if given, calls
 * `tf.setBackend('wasm')` and awaits `tf.ready()`.
 *
 * @example
 * ```ts
 * import { wasm } from '@pfm/backend-wasm';
 * await wasm().init();
 * ```
 */
export function wasm(options: WasmOptions = {}): WasmBackendProvider {
  checkOptions(options);
  return {
    name: 'wasm',
    async init(): Promise<void> {
      registerWasmKernelFixes();
      if (options.wasmPaths !== undefined) setWasmPaths(options.wasmPaths);
      let started: boolean;
      try {
        started = await tf.setBackend('wasm');
      } catch (error) {
        throw new Error(`@pfm/backend-wasm: tf.setBackend('wasm') threw: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!started) {
        const where =
          options.wasmPaths === undefined
            ? 'from the folder of the script (tfjs default)'
            : `from wasmPaths ${JSON.stringify(options.wasmPaths)}`;
        throw new Error(
          `@pfm/backend-wasm: the wasm backend could not start: its .wasm binary could not be loaded ${where} ` +
            '(tfjs printed the cause above). In a browser, serve tfjs-backend-wasm.wasm, tfjs-backend-wasm-simd.wasm ' +
            'and tfjs-backend-wasm-threaded-simd.wasm and pass their location as wasm({ wasmPaths }).',
        );
      }
      await tf.ready();
      if (tf.getBackend() !== 'wasm') {
        throw new Error(`@pfm/backend-wasm: expected the active tfjs backend to be 'wasm' after init, got '${tf.getBackend()}'`);
      }
    },
  };
}

function checkOptions(options: WasmOptions): void {
  if (options == null || typeof options !== 'object') {
    throw new Error(`wasm(options): options must be an object, got ${String(options)}`);
  }
  const paths: unknown = options.wasmPaths;
  if (paths === undefined || typeof paths === 'string') return;
  if (paths === null || typeof paths !== 'object' || Array.isArray(paths)) {
    throw new Error(`wasm(options): wasmPaths must be a folder URL string or an object with one URL per binary, got ${JSON.stringify(paths)}`);
  }
  const given = paths as Record<string, unknown>;
  const unknown = Object.keys(given).filter((name) => !(BINARY_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`wasm(options): wasmPaths has unknown key(s) ${unknown.join(', ')}; expected exactly ${BINARY_NAMES.join(', ')}`);
  }
  const missing = BINARY_NAMES.filter((name) => typeof given[name] !== 'string' || given[name] === '');
  if (missing.length > 0) {
    throw new Error(`wasm(options): wasmPaths needs a non-empty URL string for ${missing.join(', ')} (all three binaries: ${BINARY_NAMES.join(', ')})`);
  }
}
