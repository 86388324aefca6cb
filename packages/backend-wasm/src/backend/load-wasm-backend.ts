/** tfjs-backend-wasm's module: its backend class and thread and path settings. */
export type TfjsBackendWasm = typeof import('@tensorflow/tfjs-backend-wasm');

/**
 * Registers tfjs's wasm backend with its stock kernels, and tfjs's gradients
 * (`@pfm/core/register`), and returns tfjs-backend-wasm's module. Loaded on first use, so that
 * `@pfm/backend-wasm/base` changes nothing global when imported; each module registers once,
 * on its first import.
 */
export async function loadWasmBackend(): Promise<TfjsBackendWasm> {
  await import('@pfm/core/register');
  return import('@tensorflow/tfjs-backend-wasm');
}
