// Importing this package registers tfjs's wasm backend and its stock kernels (the one side
// effect it has); the corrected kernels are registered by `wasm().init()` or
// `registerWasmKernelFixes()`.
import '@tensorflow/tfjs-backend-wasm';

export { wasm } from './backend/wasm.js';
export type { WasmBackendProvider, WasmBinaryPaths, WasmOptions } from './backend/wasm.js';
export { registerWasmKernelFixes } from './kernels/register-wasm-kernel-fixes.js';
