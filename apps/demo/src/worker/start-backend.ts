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

/** The backend that runs, and why it is not the one asked for when WebGPU refused to start. */
export interface StartedBackend {
  name: string;
  /** Set when `webgpu` was asked for and could not start: the reason; wasm runs instead. */
  fallback?: string;
}

// Not tf.getBackend() before the first start: that would make tfjs start its highest-priority
// backend (WebGL) by itself, just to find out.
let active: BackendId | undefined;
// A WebGPU refusal is kept: asking again would redo the adapter request (and, where synchronous
// reads fail, lose another device) for the same answer.
let webgpuRefusal: string | undefined;

/**
 * Selects the backend `id` (already active: nothing to do). `webgpu` falls back to wasm when
 * `webgpu().init()` rejects (no `navigator.gpu`, no adapter, broken synchronous reads), with the
 * reason in `fallback`; any other backend that cannot start rejects.
 */
export async function startBackend(id: BackendId): Promise<StartedBackend> {
  if (id === 'webgpu' && webgpuRefusal !== undefined) return { ...(await startBackend('wasm')), fallback: webgpuRefusal };
  if (active === id && tf.getBackend() === id) return { name: id };
  active = undefined;
  if (id === 'webgpu') {
    try {
      // Loaded on demand: tfjs's WebGPU kernels are a chunk of their own, fetched only when chosen.
      const { webgpu } = await import('@pfm/backend-webgpu');
      const name = await useBackend(webgpu());
      active = id;
      return { name };
    } catch (error) {
      webgpuRefusal = error instanceof Error ? error.message : String(error);
      return { ...(await startBackend('wasm')), fallback: webgpuRefusal };
    }
  }
  const name = await useBackend(provider(id));
  active = id;
  return { name };
}

function provider(id: Exclude<BackendId, 'webgpu'>) {
  switch (id) {
    case 'wasm':
      return wasm({ wasmPaths });
    case 'webgl':
      return webgl();
    case 'cpu':
      return cpu();
    default:
      throw new Error(`unknown backend "${String(id)}"; expected webgpu, wasm, webgl or cpu`);
  }
}
