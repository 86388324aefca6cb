import * as tf from '@tensorflow/tfjs-core';
import { registerWasmKernelFixes } from '../kernels/register-wasm-kernel-fixes.js';
import { autoThreads } from './auto-threads.js';
import { loadWasmBackend, type TfjsBackendWasm } from './load-wasm-backend.js';
import { startNodeThreadedModule, THREADED_BINARY } from './node-threaded-module.js';
import { wasmState } from './wasm-threads.js';

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
   * tfjs-backend-wasm's own folders (a local path given here is used there too). Without it a
   * browser fetches them from the folder of the script (tfjs's default), which a bundler such
   * as Vite does not provide by itself.
   */
  wasmPaths?: string | WasmBinaryPaths;
  /**
   * Threads of XNNPACK's pool, the calling thread included: a positive integer, or `'auto'`
   * (the default). In Node.js `'auto'` is decided by `autoThreads`: one thread when fewer than
   * two cores are idle (one-minute load average) or `work` is `'small'`, else the idle cores;
   * in a browser it is tfjs's own choice. `1` runs tfjs's single-thread SIMD binary. In Node.js
   * more threads start tfjs's threaded SIMD binary with a pool of that size; if it cannot start,
   * the backend runs on one thread and `wasmThreads().fallbackReason` says why. In a browser
   * threads need a cross-origin-isolated page (tfjs decides).
   */
  threads?: number | 'auto';
  /**
   * The work per kernel, for `threads: 'auto'`: `'small'` (low-dimensional data through small
   * MLPs) always takes one thread, `'large'` (images, convolutions) or absent the idle cores.
   */
  work?: 'small' | 'large';
}

/** The object `wasm()` returns; structurally a `BackendProvider` of `@pfm/core`. */
export interface WasmBackendProvider {
  /** The tfjs backend name, `'wasm'`. */
  readonly name: 'wasm';
  /** Corrects the wasm kernels, starts and selects the wasm backend and resolves once it is active; rejects if it cannot start. */
  init(): Promise<void>;
}

// tfjs-backend-wasm registers itself with priority 2 (above cpu); the replacement keeps it.
const WASM_PRIORITY = 2;
const THREADED_START_TIMEOUT_MS = 60_000;

/**
 * The WebAssembly backend (XNNPACK kernels, SIMD), multi-threaded in Node.js, with the kernels
 * of tfjs-backend-wasm 4.22 that are wrong, slow or missing replaced (see
 * `registerWasmKernelFixes`). Works in Node.js without options.
 *
 * `init()` loads tfjs-backend-wasm and tfjs's gradients (`@pfm/core/register`) if no import did
 * yet, registers the corrected kernels, starts the backend with `threads` threads (by default
 * `'auto'`: see `autoThreads` and `wasmThreads()`), selects it with `tf.setBackend('wasm')` and
 * awaits `tf.ready()`. Calling it again with the same options, or with `'auto'` while a pool it
 * started runs, only selects the backend; with other options it restarts the backend, which it
 * refuses while tensors live on it.
 *
 * @example
 * ```ts
 * import { wasm, wasmThreads } from '@pfm/backend-wasm';
 * await wasm().init();
 * wasmThreads(); // in Node.js on 2 idle cores: { threads: 2, runningWorkers: 1, loader: 'node-threaded-simd', autoReason: '2 idle core(s) of 2 …' }
 * ```
 */
export function wasm(options: WasmOptions = {}): WasmBackendProvider {
  checkOptions(options);
  return {
    name: 'wasm',
    async init(): Promise<void> {
      const tfjsWasm = await loadWasmBackend();
      const { getThreadsCount, setThreadsCount, setWasmPaths } = tfjsWasm;
      registerWasmKernelFixes();
      const state = wasmState();
      const engine = tf.engine();
      const registered = engine.registryFactory.wasm?.factory;
      if (state.stockFactory === undefined) {
        if (registered === undefined) {
          throw new Error("@pfm/backend-wasm: no 'wasm' backend is registered; expected @tensorflow/tfjs-backend-wasm 4.22 to be loaded");
        }
        state.stockFactory = registered;
      }
      const isNode = tf.env().getBool('IS_NODE');
      const resolved = await resolveThreads(options.threads, isNode, options.work);
      let requested = resolved.threads;
      // Threads as resolved ('auto' by autoThreads in Node.js, so `wasm()` and `wasm({ threads: 2 })` agree when it chose 2).
      const optionsKey = JSON.stringify({ threads: requested, wasmPaths: options.wasmPaths ?? null });
      const running = engine.registry.wasm;
      if (running !== undefined) {
        const started = state.started;
        if (started?.backend === running && started.optionsKey === optionsKey) {
          await select();
          return;
        }
        // 'auto' states no preference: a pool this package started is kept as it runs.
        const auto = options.threads === undefined || options.threads === 'auto';
        if (auto && started?.backend === running && started.optionsKey === JSON.stringify({ threads: started.requested, wasmPaths: options.wasmPaths ?? null })) {
          await select();
          return;
        }
        const live = running.numDataIds();
        if (live > 0) {
          if (options.threads === undefined || options.threads === 'auto') {
            const kept = started?.backend === running ? started : { backend: running, loader: 'tfjs' as const };
            state.started = {
              ...kept,
              requested,
              optionsKey,
              fallbackReason: `the wasm backend was already running with ${live} tensor(s) on it, so it was kept as it was started`,
            };
            await select();
            return;
          }
          throw new Error(
            `@pfm/backend-wasm: cannot restart the wasm backend with threads ${options.threads} while ${live} tensor(s) live on it; ` +
              'dispose them first, or call wasm(options).init() before creating tensors',
          );
        }
      }
      if (registered !== undefined) tf.removeBackend('wasm');

      let fallbackReason: string | undefined;
      if (isNode && requested > 1) {
        try {
          const backend = await startThreadedBackend(tfjsWasm, requested, threadedBinary(options.wasmPaths));
          tf.registerBackend('wasm', () => backend, WASM_PRIORITY);
          state.started = { backend, requested, loader: 'node-threaded-simd', optionsKey, ...(resolved.reason === undefined ? {} : { autoReason: resolved.reason }) };
          await select();
          return;
        } catch (error) {
          fallbackReason = `the threaded module could not start (${error instanceof Error ? error.message : String(error)}); running on one thread`;
        }
      }

      // tfjs's own loader: single-thread SIMD in Node.js; in a browser, threaded when the page allows it.
      setThreadsCount(isNode ? 1 : typeof options.threads === 'number' ? options.threads : -1);
      if (options.wasmPaths !== undefined) setWasmPaths(options.wasmPaths);
      tf.registerBackend('wasm', state.stockFactory, WASM_PRIORITY);
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
            'and tfjs-backend-wasm-threaded-simd.wasm and pass their location as wasm({ wasmPaths }).' +
            (fallbackReason === undefined ? '' : ` Before that, ${fallbackReason}.`),
        );
      }
      const backend = engine.registry.wasm as tf.KernelBackend;
      if (requested === 0) requested = getThreadsCount(); // a browser's 'auto': tfjs's own choice
      if (fallbackReason === undefined && requested > 1 && getThreadsCount() < requested) {
        fallbackReason = isNode
          ? 'tfjs runs one thread in Node.js'
          : `tfjs started ${getThreadsCount()} thread(s): threads need a cross-origin-isolated page (COOP and COEP headers)`;
      }
      state.started = {
        backend,
        requested,
        loader: 'tfjs',
        optionsKey,
        ...(fallbackReason === undefined ? {} : { fallbackReason }),
        ...(resolved.reason === undefined ? {} : { autoReason: resolved.reason }),
      };
      await select();
    },
  };
}

async function select(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error("@pfm/backend-wasm: tf.setBackend('wasm') failed on a backend that had started");
  await tf.ready();
  if (tf.getBackend() !== 'wasm') {
    throw new Error(`@pfm/backend-wasm: expected the active tfjs backend to be 'wasm' after init, got '${tf.getBackend()}'`);
  }
}

/** 'auto' → `autoThreads` of the cores and load in Node.js (with why), 0 in a browser (tfjs decides); a number is taken as given. */
async function resolveThreads(threads: WasmOptions['threads'], isNode: boolean, work: WasmOptions['work']): Promise<{ threads: number; reason?: string }> {
  if (typeof threads === 'number') return { threads };
  if (!isNode) return { threads: 0 };
  const os = (await import(/* @vite-ignore */ 'node:' + 'os')) as { availableParallelism?: () => number; cpus(): unknown[]; loadavg(): number[] };
  const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const decision = autoThreads({ cores, loadAverage: Math.max(0, os.loadavg()[0] ?? 0), ...(work === undefined ? {} : { work }) });
  return { threads: decision.threads, reason: decision.reason };
}

/** In Node.js, a local path of the threaded binary from wasmPaths (tfjs's own folder when absent). */
function threadedBinary(paths: WasmOptions['wasmPaths']): string | undefined {
  if (paths === undefined) return undefined;
  const where = typeof paths === 'string' ? paths + THREADED_BINARY : paths[THREADED_BINARY];
  if (/^[a-z][a-z0-9+.-]*:/i.test(where) && !where.startsWith('file:')) {
    throw new Error(`wasmPaths gives ${where}, and Node.js starts threads only from a local file`);
  }
  return where;
}

/** Starts the threaded module with `threads` threads and checks that the pool really runs them. */
async function startThreadedBackend(
  { BackendWasm, getThreadsCount, setThreadsCount }: TfjsBackendWasm,
  threads: number,
  binary: string | undefined,
): Promise<tf.KernelBackend> {
  const module = await startNodeThreadedModule({ threads, timeoutMs: THREADED_START_TIMEOUT_MS, ...(binary === undefined ? {} : { binary }) });
  setThreadsCount(threads);
  let backend: InstanceType<typeof BackendWasm>;
  try {
    backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
  } catch (error) {
    module.PThread.terminateAllThreads();
    throw error;
  }
  // Each pool thread is a worker that waits for work forever: without unref, Node would never exit.
  for (const worker of module.PThread.runningWorkers) worker.unref();
  const poolThreads = getThreadsCount();
  const workers = module.PThread.runningWorkers.length;
  if (poolThreads !== threads || workers !== threads - 1) {
    backend.dispose();
    throw new Error(`asked for ${threads} threads, the pool has ${poolThreads} with ${workers} running worker(s)`);
  }
  return backend;
}

function checkOptions(options: WasmOptions): void {
  if (options == null || typeof options !== 'object') {
    throw new Error(`wasm(options): options must be an object, got ${String(options)}`);
  }
  const threads: unknown = options.threads;
  if (threads !== undefined && threads !== 'auto' && !(typeof threads === 'number' && Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
    throw new Error(`wasm(options): threads must be 'auto' or an integer from 1 to 64, got ${JSON.stringify(threads)}`);
  }
  const work: unknown = options.work;
  if (work !== undefined && work !== 'small' && work !== 'large') {
    throw new Error(`wasm(options): work must be 'small' or 'large', got ${JSON.stringify(work)}`);
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
