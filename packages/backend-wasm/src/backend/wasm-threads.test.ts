import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelFixRegistry } from '../kernels/kernel-fix-registry.js';
import '../testing/register-gradients.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';
import { autoThreads } from './auto-threads.js';
import { wasm } from './wasm.js';
import { wasmThreads } from './wasm-threads.js';

const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// A product large enough for XNNPACK to split across the pool, and the gradients of a small
// SiLU MLP (every kernel of a training step), compared with the cpu backend.
function productAndGradients(): tf.Tensor[] {
  const product = tf.matMul(wave([300, 257], 0.3), wave([257, 190], 1.7));
  const w1 = wave([3, 64], 0.5);
  const w2 = wave([64, 2], 2.1);
  const x = wave([128, 3], 0.9);
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.square(tf.matMul(tf.mul(tf.sigmoid(tf.matMul(x, a)), tf.matMul(x, a)), b))))([w1, w2]);
  return [product, ...grads];
}
const LABELS = ['matMul 300×257·257×190', 'gradient w1', 'gradient w2'];

// The pool is started in the wasm project (whose backend it replaces and restores); the cpu
// project would only start it a second time.
describe.skipIf(process.env.PFM_BACKEND !== 'wasm')('wasm() threads in Node.js', () => {
  afterAll(async () => {
    await wasm().init(); // the project's backend, as the setup started it
  });

  it('starts a pool of 2 threads: tfjs counts 2 and one pthread worker runs beside the caller', async () => {
    await wasm({ threads: 2 }).init();
    expect(wasmThreads()).toEqual({ requested: 2, threads: 2, runningWorkers: 1, loader: 'node-threaded-simd' });
    expect(getThreadsCount()).toBe(2);
    expect(tf.getBackend()).toBe('wasm');
  });

  it("'auto' keeps a pool it started, whatever its size", async () => {
    await wasm({ threads: 2 }).init();
    await wasm().init();
    expect(wasmThreads()).toMatchObject({ requested: 2, threads: 2, runningWorkers: 1, loader: 'node-threaded-simd' });
  });

  it('computes like cpu on 2 threads, gradients included, with the corrected kernels', async () => {
    await wasm({ threads: 2 }).init();
    expect(kernelFixRegistry.isFixed(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc)).toBe(true);
    const results = await onCpuAndWasm(productAndGradients);
    expect(wasmThreads()?.threads).toBe(2); // onCpuAndWasm's own init() kept the pool
    expectAgreement(results, LABELS);
  });

  it("threads: 1 is tfjs's single-thread SIMD module, and asking for 2 again restarts the pool", async () => {
    await wasm({ threads: 1 }).init();
    expect(wasmThreads()).toEqual({ requested: 1, threads: 1, runningWorkers: 0, loader: 'tfjs' });
    const product = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]), false, true));
    expect(Array.from(await product.data())).toEqual([17, 23, 39, 53]);
    product.dispose();
    await wasm({ threads: 2 }).init();
    expect(wasmThreads()).toEqual({ requested: 2, threads: 2, runningWorkers: 1, loader: 'node-threaded-simd' });
  });

  it('refuses to change the threads while tensors live on the backend, and keeps it running', async () => {
    await wasm({ threads: 2 }).init();
    const alive = tf.tensor1d([1, 2, 3]);
    try {
      await expect(wasm({ threads: 1 }).init()).rejects.toThrow(/cannot restart the wasm backend with threads 1 while 1 tensor\(s\) live on it/);
      expect(Array.from(await alive.data())).toEqual([1, 2, 3]);
      expect(wasmThreads()?.threads).toBe(2);
    } finally {
      alive.dispose();
    }
  });

  it('falls back to one thread, saying why, when the threaded binary cannot be loaded', async () => {
    const resolve = createRequire(import.meta.url).resolve;
    const dist = dirname(resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
    const missing = join(PACKAGE_ROOT, 'no-such-folder', 'tfjs-backend-wasm-threaded-simd.wasm');
    await wasm({
      threads: 2,
      wasmPaths: {
        'tfjs-backend-wasm.wasm': join(dist, 'tfjs-backend-wasm.wasm'),
        'tfjs-backend-wasm-simd.wasm': join(dist, 'tfjs-backend-wasm-simd.wasm'),
        'tfjs-backend-wasm-threaded-simd.wasm': missing,
      },
    }).init();
    const info = wasmThreads();
    expect(info).toMatchObject({ requested: 2, threads: 1, runningWorkers: 0, loader: 'tfjs' });
    expect(info?.fallbackReason).toContain(`could not load ${missing}`);
    expectAgreement(await onCpuAndWasm(productAndGradients), LABELS);
  });
});

// A script that starts the pool and returns must end by itself: the pool's workers wait for
// work forever and would keep Node.js alive unless released. This runs the built package (the
// vitest setup imports the build too), from ESM and from CommonJS, as a user's script would.
describe.skipIf(process.env.PFM_BACKEND !== 'cpu')('a plain Node.js script using the pool', () => {
  const script = (kind: 'esm' | 'cjs', start: string) => {
    const body = [
      // The load average is read around init: 'auto' decided from a value in between.
      'const { loadavg } = await import("node:os");',
      'const loadBefore = loadavg()[0];',
      `await wasm(${start}).init();`,
      'const loadAfter = loadavg()[0];',
      'const y = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]));',
      'console.log(JSON.stringify({ threads: wasmThreads(), sum: tf.sum(y).dataSync()[0], loadBefore, loadAfter }));',
    ];
    return kind === 'esm'
      ? ["import * as tf from '@tensorflow/tfjs-core';", "import { wasm, wasmThreads } from '@pfm/backend-wasm';", ...body].join('\n')
      : ["const tf = require('@tensorflow/tfjs-core');", "const { wasm, wasmThreads } = require('@pfm/backend-wasm');", '(async () => {', ...body, '})();'].join('\n');
  };
  const run = (kind: 'esm' | 'cjs', start: string) => {
    const child = spawnSync(process.execPath, [...(kind === 'esm' ? ['--input-type=module'] : []), '-e', script(kind, start)], {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.error, 'the script did not end within 60 s').toBeUndefined();
    expect(child.status, child.stderr).toBe(0);
    return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as {
      threads: { requested: number; threads: number; loader: string; autoReason?: string };
      sum: number;
      loadBefore: number;
      loadAfter: number;
    };
  };

  it.each([['esm'], ['cjs']] as const)('exits by itself after computing on 2 threads (%s build)', (kind) => {
    const printed = run(kind, '{ threads: 2 }');
    expect(printed.sum).toBe(64 * 64 * 64);
    expect(printed.threads).toMatchObject({ threads: 2, loader: 'node-threaded-simd' });
  });

  it("by default ('auto') starts the threads autoThreads gives for the cores and the load, and says why", () => {
    const printed = run('esm', '');
    expect(printed.sum).toBe(64 * 64 * 64);
    const cores = availableParallelism();
    const allowed = [printed.loadBefore, printed.loadAfter].map((loadAverage) => autoThreads({ cores, loadAverage }).threads);
    expect(allowed).toContain(printed.threads.threads);
    expect(printed.threads.requested).toBe(printed.threads.threads);
    expect(printed.threads.loader).toBe(printed.threads.threads > 1 ? 'node-threaded-simd' : 'tfjs');
    expect(printed.threads.autoReason).toMatch(/idle|busy machine|one core/);
  });
});
