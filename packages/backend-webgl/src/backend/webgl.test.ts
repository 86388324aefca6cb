import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { webgl } from './webgl.js';

describe('webgl()', () => {
  it('is a provider named webgl', () => {
    const provider = webgl();
    expect(provider.name).toBe('webgl');
    expect(typeof provider.init).toBe('function');
  });

  it('init() rejects in Node.js with an error that says WebGL is missing and what to use instead', async () => {
    // The tests run under Node.js, which has neither a document nor OffscreenCanvas.
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const active = tf.getBackend();
    await expect(webgl().init()).rejects.toThrow(
      /^@pfm\/backend-webgl: WebGL is not available here \(no document and no OffscreenCanvas: .*Node\.js\); use @pfm\/backend-wasm or @pfm\/backend-cpu instead$/,
    );
    // A refused start leaves the active backend as it was.
    expect(tf.getBackend()).toBe(active);
  });
});
