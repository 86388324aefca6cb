// `@pfm/backend-wasm/base`: the factory with no side effect on import; `wasm().init()`
// registers tfjs's wasm backend, the corrected kernels and the gradients when it runs.
export { wasm } from './backend/wasm.js';
export type { WasmBackendProvider, WasmBinaryPaths, WasmOptions } from './backend/wasm.js';
export { wasmThreads } from './backend/wasm-threads.js';
export { autoThreads, MIN_IDLE_CORES } from './backend/auto-threads.js';
export type { AutoThreadsDecision, AutoThreadsInput } from './backend/auto-threads.js';
export type { WasmThreads } from './backend/wasm-threads.js';
export { registerWasmKernelFixes } from './kernels/register-wasm-kernel-fixes.js';
export { seluSimdSupported, setSeluSimdEnabled } from './simd/selu-simd.js';
