// tfjs-backend-wasm 4.22 never runs its threaded binary in Node.js: its WASM_HAS_MULTITHREAD_SUPPORT
// flag is hard-coded false there, and its pthread worker is handed to emscripten as a blob: URL,
// which worker_threads refuses (ERR_WORKER_PATH). This starts that same binary and glue script
// itself, with a worker that Node accepts (a data: URL module running tfjs's own worker source)
// and a pool of exactly the threads asked for. Node-only: every Node module is imported lazily,
// so a browser bundle never reaches them.

/** The parts of the emscripten module object of tfjs-backend-wasm that are used here. */
export interface ThreadedWasmModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  PThread: {
    runningWorkers: Array<{ unref(): void }>;
    unusedWorkers: Array<{ unref(): void }>;
    terminateAllThreads(): void;
  };
  tfjs?: Record<string, (...args: number[]) => number>;
  [key: string]: unknown;
}

type Listener = (...args: unknown[]) => void;

const WASM_OUT = '@tensorflow/tfjs-backend-wasm/wasm-out/';
const GLUE = 'tfjs-backend-wasm-threaded-simd.js';
const WORKER_SOURCE = 'tfjs-backend-wasm-threaded-simd.worker.js';
export const THREADED_BINARY = 'tfjs-backend-wasm-threaded-simd.wasm';
// The glue script starts this many workers before anything runs; XNNPACK's pool then takes
// threads − 1 of them (the calling thread is the first). Eight idle workers cost a second of
// start-up on a small machine, so the size is set to the pool's own.
const POOL_SIZE_SOURCE = 'var pthreadPoolSize=8;';

// A specifier the bundlers of browser apps leave alone (they never follow it).
const nodeImport = (specifier: string): Promise<any> => import(/* @vite-ignore */ specifier);

/**
 * Starts tfjs-backend-wasm's threaded SIMD module in Node.js with a pool of `threads` threads
 * (the caller included) and gives back the module, ready for `new BackendWasm(module)` after
 * `setThreadsCount(threads)`. `binary` overrides the path of the `.wasm` file. Rejects, with
 * every worker it started stopped, if anything fails or takes longer than `timeoutMs`.
 */
export async function startNodeThreadedModule(options: { threads: number; binary?: string; timeoutMs: number }): Promise<ThreadedWasmModule> {
  const { threads, timeoutMs } = options;
  const [{ createRequire }, vm, fs, path, url] = await Promise.all([
    nodeImport('node:module'),
    nodeImport('node:vm'),
    nodeImport('node:fs'),
    nodeImport('node:path'),
    nodeImport('node:url'),
  ]);
  const here = createRequire(import.meta.url);
  const gluePath: string = here.resolve(WASM_OUT + GLUE);
  const workerSourcePath: string = here.resolve(WASM_OUT + WORKER_SOURCE);
  const binary = options.binary ?? path.join(path.dirname(gluePath), THREADED_BINARY);
  const binaryPath: string = binary.startsWith('file:') ? url.fileURLToPath(binary) : binary;

  const source: string = fs.readFileSync(gluePath, 'utf8');
  if (source.split(POOL_SIZE_SOURCE).length !== 2) {
    throw new Error(`${GLUE} does not set its worker pool as tfjs-backend-wasm 4.22.0 does (expected '${POOL_SIZE_SOURCE}' once)`);
  }
  const glue = source.replace(POOL_SIZE_SOURCE, `var pthreadPoolSize=${threads};`);
  // Evaluated the way Node loads a CommonJS file, so that the glue sees its own require and path.
  const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${glue}\n})`, { filename: gluePath });
  const cjs = { exports: {} as unknown };
  wrapper.call(cjs.exports, cjs.exports, createRequire(gluePath), cjs, gluePath, path.dirname(gluePath));
  const factory = cjs.exports as (config: Record<string, unknown>) => Promise<ThreadedWasmModule>;

  // The worker: tfjs ships its source as a string (escaping its newlines before making a Blob
  // of it, as done here); run it with a require and a file name, as a CommonJS worker would.
  const workerCode = [
    "import { createRequire } from 'node:module';",
    "import { runInThisContext } from 'node:vm';",
    `const file = ${JSON.stringify(workerSourcePath)};`,
    'const require = createRequire(file);',
    "const source = require(file).wasmWorkerContents.replace(/\\n/g, '\\\\n');",
    "runInThisContext('(function (require, __filename) {' + source + '\\n})', { filename: file })(require, file);",
  ].join('\n');
  // A URL object: worker_threads takes data: URLs only in that form.
  const workerUrl = new URL(`data:text/javascript,${encodeURIComponent(workerCode)}`);

  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const config: Record<string, unknown> = {
    mainScriptUrlOrBlob: gluePath,
    locateFile: (name: string, prefix: string) => (name.endsWith('.worker.js') ? workerUrl : name.endsWith('.wasm') ? binaryPath : prefix + name),
    instantiateWasm(imports: { env: Record<string, unknown> }, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      // tfjs's C++ caps its pool at half the cores it is told of (a guard against counting
      // hyper-threads): tell it twice the threads asked for, so that exactly those start.
      imports.env.emscripten_num_logical_cores = () => 2 * threads;
      fs.promises
        .readFile(binaryPath)
        .then((bytes: Uint8Array) => WebAssembly.instantiate(bytes, imports as WebAssembly.Imports))
        .then((result: WebAssembly.WebAssemblyInstantiatedSource) => receive(result.instance, result.module))
        .catch((error: unknown) => fail(new Error(`could not load ${binaryPath}: ${error instanceof Error ? error.message : String(error)}`)));
      return {};
    },
    onAbort: (what: unknown) => fail(new Error(`the threaded module aborted: ${String(what)}`)),
  };

  // The glue installs process-wide handlers that rethrow every uncaught error and rejection,
  // and a global Worker; neither is needed once the pool is up, so both are put back.
  const events = ['uncaughtException', 'unhandledRejection'];
  const proc = process as unknown as { listeners(event: string): Listener[]; removeListener(event: string, listener: Listener): void };
  const listenersBefore = events.map((event) => proc.listeners(event));
  const workerBefore = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the threaded module did not start within ${timeoutMs} ms`)), timeoutMs);
    });
    const module = await Promise.race([factory(config), failed, timeout]);
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    return module;
  } catch (error) {
    (config.PThread as ThreadedWasmModule['PThread'] | undefined)?.terminateAllThreads();
    throw error;
  } finally {
    clearTimeout(timer);
    events.forEach((event, i) => {
      for (const listener of proc.listeners(event)) {
        if (!listenersBefore[i]!.includes(listener)) proc.removeListener(event, listener);
      }
    });
    if (workerBefore === undefined) delete (globalThis as { Worker?: unknown }).Worker;
    else Object.defineProperty(globalThis, 'Worker', workerBefore);
  }
}
