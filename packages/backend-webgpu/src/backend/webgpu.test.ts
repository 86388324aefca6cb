import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { webgpu } from './webgpu.js';

const scope = globalThis as { navigator?: unknown };
const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');

/** Puts a `navigator` with this `gpu` on globalThis for one test (Node 20 has none; 21+ has one without gpu). */
function fakeNavigator(gpu: unknown): void {
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
}

afterEach(() => {
  if (original) Object.defineProperty(globalThis, 'navigator', original);
  else delete scope.navigator;
});

describe('webgpu()', () => {
  it('is a provider named webgpu', () => {
    const provider = webgpu();
    expect(provider.name).toBe('webgpu');
    expect(typeof provider.init).toBe('function');
  });

  it('init() rejects in Node.js, where navigator.gpu is missing, naming the alternatives; the active backend stays', async () => {
    expect((scope.navigator as { gpu?: unknown } | undefined)?.gpu).toBeUndefined();
    const active = tf.getBackend();
    await expect(webgpu().init()).rejects.toThrow(
      /^@pfm\/backend-webgpu: WebGPU is not available here \(navigator\.gpu is missing: this browser or runtime has no WebGPU \(e\.g\. Node\.js.*\)\); use @pfm\/backend-webgl, @pfm\/backend-wasm or @pfm\/backend-cpu instead$/,
    );
    expect(tf.getBackend()).toBe(active);
  });

  it('init() rejects when requestAdapter() returns null, saying there is no adapter; the active backend stays', async () => {
    const asked: unknown[] = [];
    fakeNavigator({ requestAdapter: async (options: unknown) => (asked.push(options), null) });
    const active = tf.getBackend();
    await expect(webgpu().init()).rejects.toThrow(
      /^@pfm\/backend-webgpu: WebGPU is not available here \(navigator\.gpu\.requestAdapter\(\) returned null: no WebGPU adapter for this GPU and driver .*\); use @pfm\/backend-webgl, @pfm\/backend-wasm or @pfm\/backend-cpu instead$/,
    );
    expect(asked).toEqual([{ powerPreference: 'high-performance' }]);
    expect(tf.getBackend()).toBe(active);
  });

  it('init() rejects when requestAdapter() throws, with its message', async () => {
    fakeNavigator({ requestAdapter: async () => Promise.reject(new Error('adapter blocked by policy')) });
    const active = tf.getBackend();
    await expect(webgpu().init()).rejects.toThrow('(navigator.gpu.requestAdapter() threw: adapter blocked by policy)');
    expect(tf.getBackend()).toBe(active);
  });

  it('init() on an insecure page says WebGPU needs a secure context', async () => {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
    const secure = Object.getOwnPropertyDescriptor(globalThis, 'isSecureContext');
    Object.defineProperty(globalThis, 'isSecureContext', { value: false, configurable: true });
    try {
      await expect(webgpu().init()).rejects.toThrow('navigator.gpu is missing: WebGPU is only exposed to secure contexts (https:// or http://localhost)');
    } finally {
      if (secure) Object.defineProperty(globalThis, 'isSecureContext', secure);
      else delete (globalThis as { isSecureContext?: boolean }).isSecureContext;
    }
  });
});
