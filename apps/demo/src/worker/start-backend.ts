import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@pfm/core';
import { cpu } from '@pfm/backend-cpu';
import { wasm } from '@pfm/backend-wasm';
import { webgl } from '@pfm/backend-webgl';
// The wasm binaries, emitted by Vite as assets (see @pfm/backend-wasm's README, "In the browser").
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendId } from '../protocol.js';

const wasmPaths = {
  'tfjs-backend-wasm.wasm': plain,
  'tfjs-backend-wasm-simd.wasm': simd,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd,
};

// Not tf.getBackend() before the first start: that would make tfjs start its highest-priority
// backend (WebGL) by itself, just to find out.
let active: BackendId | undefined;

/** Selects the backend `id` (already active: nothing to do); resolves to its name. */
export async function startBackend(id: BackendId): Promise<string> {
  if (active === id && tf.getBackend() === id) return id;
  active = undefined;
  const name = await useBackend(provider(id));
  active = id;
  return name;
}

function provider(id: BackendId) {
  switch (id) {
    case 'wasm':
      return wasm({ wasmPaths });
    case 'webgl':
      return webgl();
    case 'cpu':
      return cpu();
    default:
      throw new Error(`unknown backend "${String(id)}"; expected wasm, webgl or cpu`);
  }
}
