/**
 * Registers tfjs's WebGPU kernels (and, where `navigator.gpu` exists, its backend factory), tfjs's
 * gradients (`@pfm/core/register`) and this package's kernel corrections. Loaded on first use, so
 * that `@pfm/backend-webgpu/base` changes nothing global when imported; each module registers
 * once, on its first import.
 */
export async function loadWebgpuBackend(): Promise<void> {
  await import('@pfm/core/register');
  await import('@tensorflow/tfjs-backend-webgpu');
}
