// Importing this package registers tfjs's wasm backend and its stock kernels (the one side
// effect it has); the corrected kernels and the threaded start are done by `wasm().init()`.
import '@tensorflow/tfjs-backend-wasm';

export { wasm } from './backend/wasm.js';
export type { WasmBackendProvider, WasmBinaryPaths, WasmOptions } from './backend/wasm.js';
export { wasmThreads } from './backend/wasm-threads.js';
export type { WasmThreads } from './backend/wasm-threads.js';
export { registerWasmKernelFixes } from './kernels/register-wasm-kernel-fixes.js';
