import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A fresh Node process (this one has every backend loaded by the test setup), on the built package.
const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('@pfm/backend-webgpu/base', () => {
  it('registers nothing on import: no webgpu kernel, no gradient (Node has no WebGPU, so init is not tried)', () => {
    const source = `import * as tf from '@tensorflow/tfjs-core';
const state = () => ({ kernels: tf.getKernelsForBackend('webgpu').length, gradient: tf.getGradient('BatchMatMul') !== undefined });
const base = await import('@pfm/backend-webgpu/base');
const afterBase = state();
await import('@pfm/backend-webgpu');
console.log(JSON.stringify({ exports: Object.keys(base).sort(), afterBase, afterIndex: state() }));`;
    const out = execFileSync(process.execPath, ['--input-type', 'module', '-e', source], { cwd: packageDir, encoding: 'utf8', timeout: 60_000 });
    const seen = JSON.parse(out.trim().split('\n').pop()!) as { exports: string[]; afterBase: unknown; afterIndex: { kernels: number; gradient: boolean } };
    expect(seen.exports).toEqual(['CHROMIUM_WEBGPU_FLAGS', 'PAIRWISE_DISTANCE_POWER_GRAD', 'PAIRWISE_DISTANCE_POWER_SUM', 'PAIRWISE_KERNEL_GRAD', 'PAIRWISE_KERNEL_SUM', 'SOFTMIN_ROWS', 'SOFTMIN_ROWS_GRAD', 'registerPairwiseKernels', 'registerWebgpuKernelFixes', 'webgpu']);
    expect(seen.afterBase).toEqual({ kernels: 0, gradient: false });
    expect(seen.afterIndex.gradient).toBe(true);
    expect(seen.afterIndex.kernels).toBeGreaterThan(100);
  });
});
