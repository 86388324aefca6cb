// `@pfm/backend-webgpu/base`: the factory with no side effect on import; `webgpu().init()`
// registers tfjs's WebGPU backend, the gradients and this package's kernel corrections when it runs.
export { webgpu } from './backend/webgpu.js';
export type { WebgpuBackendProvider } from './backend/webgpu.js';
export { registerWebgpuKernelFixes } from './kernels/register-webgpu-kernel-fixes.js';
