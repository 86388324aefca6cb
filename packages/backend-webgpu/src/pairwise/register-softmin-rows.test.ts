import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SOFTMIN_ROWS, SOFTMIN_ROWS_GRAD } from './pairwise-kernel-names.js';
import { registerPairwiseKernels } from './register-pairwise-kernels.js';
import { recordWebgpuProgram as run, tensorInfo as info } from '../test-support/record-webgpu-program.js';

// Node has no GPU: the WGSL runs in headless Chromium (test/webgpu-chromium.test.ts, against
// tf.logSumExp of the cost block on cpu). Here: what the kernels hand to the backend, and refusals.

describe('the fused Sinkhorn softmin rows (PfmSoftminRows, PfmSoftminRowsGrad)', () => {
  it('are registered for webgpu with the gradient of the rows, which keeps the output', () => {
    registerPairwiseKernels();
    expect(tf.getKernel(SOFTMIN_ROWS, 'webgpu')).toBeDefined();
    expect(tf.getKernel(SOFTMIN_ROWS_GRAD, 'webgpu')).toBeDefined();
    const gradient = tf.getGradient(SOFTMIN_ROWS);
    expect(gradient?.inputsToSave).toEqual(['x', 'y', 'u']);
    expect(gradient?.outputsToSave).toEqual([true]);
  });

  it('run one thread per row with a running maximum, ε, p and d as uniforms; the gradient adds the mass column', () => {
    registerPairwiseKernels();
    const rows = run(SOFTMIN_ROWS, { x: info([150, 2]), y: info([97, 2]), u: info([97]) }, { epsilon: 0.05, p: 2 });
    expect(rows.program.outputShape).toEqual([150]);
    expect(rows.program.dispatch).toEqual([3, 1, 1]);
    expect(rows.program.shaderKey).toBe('pfm_softmin_rows_4');
    expect(rows.program.getUserCode()).toContain('total = total * exp(top - v) + 1.0;');
    expect(rows.uniforms).toEqual([{ type: 'float32', data: [0.05] }, { type: 'float32', data: [2] }, { type: 'int32', data: [2] }]);
    const grad = run(SOFTMIN_ROWS_GRAD, { p: info([9, 40]), q: info([60, 40]), a: info([9]), b: info([60]), c: info([60]) }, { epsilon: 1, p: 1 });
    expect(grad.program.outputShape).toEqual([9, 41]);
    expect(grad.program.shaderKey).toBe('pfm_softmin_rows_grad_64');
  });

  it('refuse bad inputs naming the input or attribute, the value and what was expected', () => {
    registerPairwiseKernels();
    const attrs = { epsilon: 0.1, p: 2 };
    expect(() => run(SOFTMIN_ROWS, { x: info([5, 2]), y: info([4, 2]), u: info([5]) }, attrs)).toThrow(
      'PfmSoftminRows: u must be a float32 [4] tensor (one value per row of y), got float32 [5]',
    );
    expect(() => run(SOFTMIN_ROWS, { x: info([5, 2]), y: info([0, 2]), u: info([0]) }, attrs)).toThrow('PfmSoftminRows: y must have at least one row, got [0, 2]');
    expect(() => run(SOFTMIN_ROWS, { x: info([5, 2]), y: info([4, 2]), u: info([4]) }, { epsilon: -1, p: 2 })).toThrow(
      'PfmSoftminRows: epsilon must be a positive finite number, got -1',
    );
    expect(() => run(SOFTMIN_ROWS, { x: info([5, 2]), y: info([4, 2]), u: info([4]) }, { epsilon: 1, p: 0.5 })).toThrow('PfmSoftminRows: p must be a number ≥ 1, got 0.5');
    expect(() => run(SOFTMIN_ROWS_GRAD, { p: info([5, 2]), q: info([4, 2]), a: info([4]), b: info([4]), c: info([4]) }, attrs)).toThrow(
      'PfmSoftminRowsGrad: a must be a float32 [5] tensor (one value per row of p), got float32 [4]',
    );
  });
});
