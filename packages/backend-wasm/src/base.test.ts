import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A fresh Node process (this one has every backend loaded by the test setup), on the built package.
const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('@pfm/backend-wasm/base', () => {
  it('registers nothing on import; wasm().init() registers the backend, its kernels and the gradients', () => {
    const source = `import * as tf from '@tensorflow/tfjs-core';
const state = () => ({ backend: tf.findBackendFactory('wasm') !== null, kernels: tf.getKernelsForBackend('wasm').length, gradient: tf.getGradient('BatchMatMul') !== undefined });
const { wasm } = await import('@pfm/backend-wasm/base');
const afterImport = state();
await wasm({ threads: 1 }).init();
const afterInit = state();
const g = tf.grad((x) => tf.sum(tf.square(x)))(tf.tensor1d([3])).dataSync()[0];
console.log(JSON.stringify({ afterImport, afterInit, g, active: tf.getBackend() }));`;
    const out = execFileSync(process.execPath, ['--input-type', 'module', '-e', source], { cwd: packageDir, encoding: 'utf8', timeout: 60_000 });
    const seen = JSON.parse(out.trim().split('\n').pop()!) as { afterImport: unknown; afterInit: { kernels: number }; g: number; active: string };
    expect(seen.afterImport).toEqual({ backend: false, kernels: 0, gradient: false });
    expect(seen.afterInit).toMatchObject({ backend: true, gradient: true });
    expect(seen.afterInit.kernels).toBeGreaterThan(100);
    expect(seen.active).toBe('wasm');
    expect(seen.g).toBe(6);
  });
});
