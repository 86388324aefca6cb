import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { kernelFixRegistry } from '../kernels/kernel-fix-registry.js';
import { wasm } from './wasm.js';

const PATHS = {
  'tfjs-backend-wasm.wasm': '/a.wasm',
  'tfjs-backend-wasm-simd.wasm': '/b.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm': '/c.wasm',
};

describe('wasm()', () => {
  it('is a provider named wasm', () => {
    const provider = wasm();
    expect(provider.name).toBe('wasm');
    expect(typeof provider.init).toBe('function');
  });

  it('init() selects the wasm backend with the corrected kernels, which then computes', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      expect(tf.getBackend()).toBe('wasm');
      expect(kernelFixRegistry.isFixed(tf.getKernel('_FusedMatMul', 'wasm')?.kernelFunc)).toBe(true);
      const product = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]), false, true));
      expect(Array.from(await product.data())).toEqual([17, 23, 39, 53]);
      product.dispose();
      await wasm().init(); // repeatable
      expect(tf.getBackend()).toBe('wasm');
    } finally {
      await tf.setBackend(projectBackend);
    }
    expect(tf.getBackend()).toBe(projectBackend);
  });

  it('accepts a folder URL or one URL per binary for wasmPaths', () => {
    expect(() => wasm({ wasmPaths: '/static/wasm/' })).not.toThrow();
    expect(() => wasm({ wasmPaths: PATHS })).not.toThrow();
  });

  it('rejects bad wasmPaths at once, naming the key', () => {
    const missing = { 'tfjs-backend-wasm.wasm': '/a.wasm', 'tfjs-backend-wasm-simd.wasm': '/b.wasm' };
    expect(() => wasm({ wasmPaths: missing as never })).toThrow(
      'wasmPaths needs a non-empty URL string for tfjs-backend-wasm-threaded-simd.wasm',
    );
    expect(() => wasm({ wasmPaths: { ...PATHS, 'tfjs-backend-wasm.wasm': '' } })).toThrow('for tfjs-backend-wasm.wasm');
    expect(() => wasm({ wasmPaths: { ...PATHS, 'extra.wasm': '/x' } as never })).toThrow('unknown key(s) extra.wasm');
    expect(() => wasm({ wasmPaths: 42 as never })).toThrow('wasmPaths must be a folder URL string or an object');
    expect(() => wasm(null as never)).toThrow('options must be an object');
  });
});
