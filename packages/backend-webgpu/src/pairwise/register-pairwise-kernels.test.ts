import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { PAIRWISE_DISTANCE_POWER_GRAD, PAIRWISE_DISTANCE_POWER_SUM } from './pairwise-kernel-names.js';
import { registerPairwiseKernels } from './register-pairwise-kernels.js';
import { recordWebgpuProgram as run, tensorInfo as info } from '../test-support/record-webgpu-program.js';

// Node has no GPU: the kernels' WGSL runs in headless Chromium (test/webgpu-chromium.test.ts,
// against cpu). Here: what they hand to the backend, and their refusals, with a stand-in backend.

describe('registerPairwiseKernels', () => {
  it('registers both kernels for webgpu and the gradient of the row sums, once', () => {
    registerPairwiseKernels();
    registerPairwiseKernels();
    expect(tf.getKernel(PAIRWISE_DISTANCE_POWER_SUM, 'webgpu')).toBeDefined();
    expect(tf.getKernel(PAIRWISE_DISTANCE_POWER_GRAD, 'webgpu')).toBeDefined();
    expect(tf.getGradient(PAIRWISE_DISTANCE_POWER_SUM)?.inputsToSave).toEqual(['x', 'y']);
    expect(tf.getKernel(PAIRWISE_DISTANCE_POWER_SUM, 'cpu')).toBeUndefined();
  });

  it('runs one thread per row of x in workgroups of 64, the tile sized for d rounded up to a power of two, β and d as uniforms', () => {
    registerPairwiseKernels();
    const { program, uniforms } = run(PAIRWISE_DISTANCE_POWER_SUM, { x: info([150, 3]), y: info([97, 3]) }, { exponent: 1.5 });
    expect(program.outputShape).toEqual([150]);
    expect(program.dispatch).toEqual([3, 1, 1]);
    expect(program.shaderKey).toBe('pfm_pairwise_distance_power_sum_4');
    // 1024 floats of workgroup memory: 64 rows of 4.
    expect(program.getUserCode()).toContain('var<workgroup> tileQ : array<f32, 256>;');
    expect(uniforms).toEqual([{ type: 'float32', data: [1.5] }, { type: 'int32', data: [3] }]);
    const grad = run(PAIRWISE_DISTANCE_POWER_GRAD, { p: info([9, 40]), q: info([60, 40]), a: info([60]) }, { exponent: 1 });
    expect(grad.program.outputShape).toEqual([9, 40]);
    expect(grad.program.shaderKey).toBe('pfm_pairwise_distance_power_grad_64');
    expect(grad.program.getUserCode()).toContain('var<workgroup> tileQ : array<f32, 1024>;');
  });

  it('refuses bad inputs naming the input, the value and what was expected', () => {
    registerPairwiseKernels();
    expect(() => run(PAIRWISE_DISTANCE_POWER_SUM, { x: info([5, 2]), y: info([4, 3]) }, { exponent: 1 })).toThrow(
      'PfmPairwiseDistancePowerSum: y must have 2 columns like x, got [4, 3]',
    );
    expect(() => run(PAIRWISE_DISTANCE_POWER_SUM, { x: info([5, 2], 'int32'), y: info([4, 2]) }, { exponent: 1 })).toThrow(
      'PfmPairwiseDistancePowerSum: x must be a float32 [rows, d] tensor, got int32 [5, 2]',
    );
    expect(() => run(PAIRWISE_DISTANCE_POWER_SUM, { x: info([5, 300]), y: info([4, 300]) }, { exponent: 1 })).toThrow(
      'PfmPairwiseDistancePowerSum: the point dimension must be 1 to 256, got 300',
    );
    expect(() => run(PAIRWISE_DISTANCE_POWER_SUM, { x: info([5, 2]), y: info([4, 2]) }, { exponent: 2 })).toThrow(
      'PfmPairwiseDistancePowerSum: exponent must be a number in (0, 2), got 2',
    );
    expect(() => run(PAIRWISE_DISTANCE_POWER_GRAD, { p: info([5, 2]), q: info([4, 2]), a: info([5]) }, { exponent: 1 })).toThrow(
      'PfmPairwiseDistancePowerGrad: a must be a float32 [4] tensor (one weight per row of q), got float32 [5]',
    );
  });
});
