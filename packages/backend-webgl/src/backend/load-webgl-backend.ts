/**
 * Registers tfjs's WebGL kernels (and, in a browser, its backend factory) and tfjs's gradients
 * (`@pfm/core/register`). Loaded on first use, so that `@pfm/backend-webgl/base` changes nothing
 * global when imported; each module registers once, on its first import.
 */
export async function loadWebglBackend(): Promise<void> {
  await import('@pfm/core/register');
  await import('@tensorflow/tfjs-backend-webgl');
}
