import * as tf from '@tensorflow/tfjs-core';
import type { BackendProvider } from '../registry/entries.js';

/**
 * Selects and initialises a backend: `await useBackend(wasm())`. Resolves to the backend name;
 * throws if the backend did not become active.
 */
export async function useBackend(provider: BackendProvider): Promise<string> {
  await provider.init();
  const active = tf.getBackend();
  if (active !== provider.name) {
    throw new Error(`useBackend: asked for "${provider.name}" but tfjs is running "${active}"`);
  }
  return active;
}
