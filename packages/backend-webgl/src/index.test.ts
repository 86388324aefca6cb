import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

describe('importing @pfm/backend-webgl', () => {
  it('in Node.js registers webgl kernels only: no backend factory or instance, no tensor, no change of backend', async () => {
    const active = tf.getBackend();
    const cpuKernels = tf.getKernelsForBackend('cpu').length;
    const wasmKernels = tf.getKernelsForBackend('wasm').length;
    const tensors = tf.memory().numTensors;
    expect(tf.getKernelsForBackend('webgl')).toHaveLength(0);

    const module = await import('./index.js');

    expect(Object.keys(module).sort()).toEqual(['webgl']);
    expect(tf.getKernelsForBackend('webgl').length).toBeGreaterThan(100);
    // tfjs-backend-webgl registers its backend factory only when device_util.isBrowser(), so
    // under Node nothing can start it by accident (e.g. as tfjs's highest-priority fallback).
    expect(tf.findBackendFactory('webgl')).toBeNull();
    expect(tf.findBackend('webgl')).toBeNull();
    expect(tf.getBackend()).toBe(active);
    expect(tf.getKernelsForBackend('cpu').length).toBe(cpuKernels);
    expect(tf.getKernelsForBackend('wasm').length).toBe(wasmKernels);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
