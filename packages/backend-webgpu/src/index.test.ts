import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

describe('importing @pfm/backend-webgpu', () => {
  it('in Node.js registers webgpu kernels only: no backend factory or instance, no tensor, no change of backend', async () => {
    const active = tf.getBackend();
    const cpuKernels = tf.getKernelsForBackend('cpu').length;
    const tensors = tf.memory().numTensors;
    expect(tf.getKernelsForBackend('webgpu')).toHaveLength(0);

    const module = await import('./index.js');

    expect(Object.keys(module).sort()).toEqual(['CHROMIUM_WEBGPU_FLAGS', 'PAIRWISE_DISTANCE_POWER_GRAD', 'PAIRWISE_DISTANCE_POWER_SUM', 'PAIRWISE_KERNEL_GRAD', 'PAIRWISE_KERNEL_SUM', 'SOFTMIN_ROWS', 'SOFTMIN_ROWS_GRAD', 'registerPairwiseKernels', 'registerWebgpuKernelFixes', 'webgpu']);
    expect(tf.getKernelsForBackend('webgpu').length).toBeGreaterThan(100);
    // tfjs-backend-webgpu registers its backend factory only where navigator.gpu exists, so under
    // Node nothing can start it by accident (e.g. as tfjs's highest-priority fallback).
    expect(tf.findBackendFactory('webgpu')).toBeNull();
    expect(tf.findBackend('webgpu')).toBeNull();
    expect(tf.getBackend()).toBe(active);
    expect(tf.getKernelsForBackend('cpu').length).toBe(cpuKernels);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
