import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { wasm } from './wasm.js';

// A failed start leaves tfjs-backend-wasm unable to start in this process, so this test has
// a file (a process) of its own, and runs only where nothing has started wasm yet: in the
// cpu project. In the wasm project the backend is already running and any wasmPaths are moot.
describe.skipIf(process.env.PFM_BACKEND === 'wasm')('wasm() when the binary cannot be loaded', () => {
  it('init() rejects with an error that says what to serve and where it looked', async () => {
    const projectBackend = tf.getBackend();
    // tfjs and emscripten log the underlying ENOENT; keep the test output clean.
    const quiet = [vi.spyOn(console, 'warn').mockImplementation(() => undefined), vi.spyOn(console, 'error').mockImplementation(() => undefined)];
    try {
      await expect(wasm({ wasmPaths: '/no-such-folder/' }).init()).rejects.toThrow(
        /could not start: its \.wasm binary could not be loaded from wasmPaths "\/no-such-folder\/".*wasm\(\{ wasmPaths \}\)/,
      );
    } finally {
      for (const spy of quiet) spy.mockRestore();
      await tf.setBackend(projectBackend);
    }
    expect(tf.getBackend()).toBe(projectBackend);
  });
});
