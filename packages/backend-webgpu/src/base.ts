// `@pfm/backend-webgpu/base`: the factory with no side effect on import; `webgpu().init()`
// registers tfjs's WebGPU backend, the gradients and this package's kernel corrections when it runs.
export { webgpu } from './backend/webgpu.js';
export type { WebgpuBackendProvider } from './backend/webgpu.js';
export { registerWebgpuKernelFixes } from './kernels/register-webgpu-kernel-fixes.js';
export { registerPairwiseKernels } from './pairwise/register-pairwise-kernels.js';
export { CHROMIUM_WEBGPU_FLAGS } from './chromium/chromium-webgpu-flags.js';
export {
  PAIRWISE_DISTANCE_POWER_SUM,
  PAIRWISE_DISTANCE_POWER_GRAD,
  PAIRWISE_KERNEL_SUM,
  PAIRWISE_KERNEL_GRAD,
  SOFTMIN_ROWS,
  SOFTMIN_ROWS_GRAD,
} from './pairwise/pairwise-kernel-names.js';
