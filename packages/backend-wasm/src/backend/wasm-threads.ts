// What `wasm().init()` started, kept on globalThis (like tfjs's own registries) so that two
// copies of this package in one process (an ESM and a CJS build, say) agree on it.
import * as tf from '@tensorflow/tfjs-core';

/** How the wasm backend runs, as `wasmThreads()` reports it after `wasm().init()`. */
export interface WasmThreads {
  /** Threads asked for, with `'auto'` resolved (by `autoThreads` in Node.js). */
  requested: number;
  /** Threads of XNNPACK's pool, the calling thread included (tfjs's `getThreadsCount()`). */
  threads: number;
  /** pthread workers running now: `threads − 1` when the pool is up. */
  runningWorkers: number;
  /**
   * `'node-threaded-simd'`: the threaded SIMD binary, started by this package in Node.js;
   * `'tfjs'`: tfjs's own loader (SIMD on one thread in Node.js; threaded in a browser only on
   * cross-origin-isolated pages).
   */
  loader: 'node-threaded-simd' | 'tfjs';
  /** Why fewer threads run than were asked for, when that is the case. */
  fallbackReason?: string;
  /** How `threads: 'auto'` chose `requested` in Node.js (idle cores, load, work). */
  autoReason?: string;
}

/** @internal The backend instance started by init and how. */
export interface WasmStartRecord {
  backend: tf.KernelBackend;
  requested: number;
  loader: WasmThreads['loader'];
  /** The threads and wasmPaths options it was started with, as JSON (a change restarts the backend). */
  optionsKey: string;
  fallbackReason?: string;
  autoReason?: string;
}

interface WasmState {
  /** tfjs-backend-wasm's own backend factory, kept before it is replaced. */
  stockFactory?: () => tf.KernelBackend | Promise<tf.KernelBackend>;
  started?: WasmStartRecord;
}

const STATE = Symbol.for('@pfm/backend-wasm:state');

/** @internal */
export function wasmState(): WasmState {
  const store = globalThis as typeof globalThis & { [STATE]?: WasmState };
  store[STATE] ??= {};
  return store[STATE];
}

interface EmscriptenHandle {
  wasm?: { tfjs?: { getThreadsCount(): number }; PThread?: { runningWorkers: unknown[] } } | null;
}

/**
 * The threads of the wasm backend started by `wasm().init()`, read live from the running
 * module; undefined before `init()` or after the backend was removed.
 *
 * @example
 * ```ts
 * await wasm().init();
 * wasmThreads(); // { requested: 2, threads: 2, runningWorkers: 1, loader: 'node-threaded-simd' }
 * ```
 */
export function wasmThreads(): WasmThreads | undefined {
  const started = wasmState().started;
  if (started === undefined || tf.engine().registry.wasm !== started.backend) return undefined;
  const module = (started.backend as unknown as EmscriptenHandle).wasm;
  if (module == null) return undefined;
  const info: WasmThreads = {
    requested: started.requested,
    threads: module.tfjs?.getThreadsCount() ?? 1,
    runningWorkers: module.PThread?.runningWorkers.length ?? 0,
    loader: started.loader,
  };
  if (started.fallbackReason !== undefined) info.fallbackReason = started.fallbackReason;
  if (started.autoReason !== undefined) info.autoReason = started.autoReason;
  return info;
}
