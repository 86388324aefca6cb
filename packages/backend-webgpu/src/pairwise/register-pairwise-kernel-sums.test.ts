import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { PAIRWISE_KERNEL_GRAD, PAIRWISE_KERNEL_SUM } from './pairwise-kernel-names.js';
import { registerPairwiseKernels } from './register-pairwise-kernels.js';
import { recordWebgpuProgram as run, tensorInfo as info } from '../test-support/record-webgpu-program.js';

// Node has no GPU: the WGSL runs in headless Chromium (test/webgpu-chromium.test.ts, against the
// composed formula on cpu). Here: what the MMD kernels hand to the backend, and their refusals.

describe('the fused MMD kernel sums (PfmPairwiseKernelSum, PfmPairwiseKernelGrad)', () => {
  it('are registered for webgpu with the gradient of the row sums, once', () => {
    registerPairwiseKernels();
    registerPairwiseKernels();
    expect(tf.getKernel(PAIRWISE_KERNEL_SUM, 'webgpu')).toBeDefined();
    expect(tf.getKernel(PAIRWISE_KERNEL_GRAD, 'webgpu')).toBeDefined();
    expect(tf.getGradient(PAIRWISE_KERNEL_SUM)?.inputsToSave).toEqual(['x', 'y']);
    expect(tf.getKernel(PAIRWISE_KERNEL_SUM, 'cpu')).toBeUndefined();
  });

  it('compile one shader per kernel and dimension bucket, with ℓ and d as uniforms', () => {
    registerPairwiseKernels();
    const gaussian = run(PAIRWISE_KERNEL_SUM, { x: info([150, 3]), y: info([97, 3]) }, { kernel: 'gaussian', bandwidth: 0.8 });
    expect(gaussian.program.outputShape).toEqual([150]);
    expect(gaussian.program.dispatch).toEqual([3, 1, 1]);
    expect(gaussian.program.shaderKey).toBe('pfm_pairwise_gaussian_sum_4');
    expect(gaussian.program.getUserCode()).toContain('exp(-s / (2.0 * l * l))');
    expect(gaussian.program.getUserCode()).toContain('var<workgroup> tileQ : array<f32, 256>;');
    expect(gaussian.uniforms).toEqual([{ type: 'float32', data: [0.8] }, { type: 'int32', data: [3] }]);
    const laplace = run(PAIRWISE_KERNEL_GRAD, { p: info([9, 40]), q: info([60, 40]), a: info([60]) }, { kernel: 'laplace', bandwidth: 2 });
    expect(laplace.program.outputShape).toEqual([9, 40]);
    expect(laplace.program.shaderKey).toBe('pfm_pairwise_laplace_grad_64');
    expect(laplace.program.getUserCode()).toContain('-exp(-r / l) / (l * r)');
  });

  it('refuse bad inputs naming the input or attribute, the value and what was expected', () => {
    registerPairwiseKernels();
    const attrs = { kernel: 'gaussian', bandwidth: 1 };
    expect(() => run(PAIRWISE_KERNEL_SUM, { x: info([5, 2]), y: info([4, 3]) }, attrs)).toThrow('PfmPairwiseKernelSum: y must have 2 columns like x, got [4, 3]');
    expect(() => run(PAIRWISE_KERNEL_SUM, { x: info([5, 2]), y: info([4, 2]) }, { kernel: 'cauchy', bandwidth: 1 })).toThrow(
      `PfmPairwiseKernelSum: kernel must be 'gaussian' or 'laplace', got "cauchy"`,
    );
    expect(() => run(PAIRWISE_KERNEL_SUM, { x: info([5, 2]), y: info([4, 2]) }, { kernel: 'laplace', bandwidth: 0 })).toThrow(
      'PfmPairwiseKernelSum: bandwidth must be a positive finite number, got 0',
    );
    expect(() => run(PAIRWISE_KERNEL_GRAD, { p: info([5, 2]), q: info([4, 2]), a: info([5]) }, attrs)).toThrow(
      'PfmPairwiseKernelGrad: a must be a float32 [4] tensor (one weight per row of q), got float32 [5]',
    );
  });
});
