// The page the conformance test bundles and opens in headless Chromium: runs every kernel case and
// training case on cpu (the reference) and on webgpu, in the same page, and hands back the values
// read from both (compared in Node by the test). Exposed as globalThis.__pfmConformance().
import * as tf from '@tensorflow/tfjs-core';
import { cpu } from '@pfm/backend-cpu';
import { createRng } from '@pfm/core';
import { webgpu } from '../../src/index.js';
import { kernelFixRegistry } from '../../src/kernels/kernel-fix-registry.js';
import { relativeError } from './relative-error.js';
import { KERNEL_CASES } from './kernel-cases.js';
import { PAIRWISE_CASES } from './pairwise-cases.js';
import { runTrainingCase, TRAINING_CASES } from './training-cases.js';
import type { Computed, ConformanceReport, RandomCheck } from './report.js';

async function evaluate(compute: () => tf.Tensor[]): Promise<Computed[]> {
  const tensors = tf.tidy(compute);
  try {
    return await Promise.all(tensors.map(async (t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(await t.data()) })));
  } finally {
    tf.dispose(tensors);
  }
}

const message = (error: unknown) => (error instanceof Error ? `${error.message}` : String(error));

async function adapterInfo(): Promise<Record<string, string>> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } }).gpu;
  const adapter = await gpu?.requestAdapter();
  const info = adapter?.info;
  if (!info) return {};
  return { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '' };
}

/** On the active backend: the shape and range of tfjs's random ops and of pfm's Rng tensors. */
async function randomChecks(): Promise<RandomCheck[]> {
  const checks: RandomCheck[] = [];
  const summary = async (name: string, make: () => tf.Tensor, lo: number, hi: number, shape: number[]) => {
    const t = make();
    const values = await t.data();
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    checks.push({ name, shape: t.shape, expectedShape: shape, min, max, mean: sum / values.length, lo, hi, backend: tf.getBackend() });
    t.dispose();
  };
  await summary('tf.randomUniform([400, 5], -2, 3)', () => tf.randomUniform([400, 5], -2, 3), -2, 3, [400, 5]);
  await summary('tf.randomNormal([2000])', () => tf.randomNormal([2000]), -Infinity, Infinity, [2000]);
  await summary('rng.uniform([300, 3], 0, 1)', () => createRng(1).uniform([300, 3], 0, 1), 0, 1, [300, 3]);
  await summary('rng.normal([1000, 2])', () => createRng(2).normal([1000, 2]), -Infinity, Infinity, [1000, 2]);
  return checks;
}

async function run(options: { only?: string[] } = {}): Promise<ConformanceReport> {
  const report: ConformanceReport = { adapter: await adapterInfo(), kernels: [], training: [], random: [], tensorsBefore: tf.memory().numTensors, tensorsAfter: 0, initError: undefined, seconds: {} };
  try {
    await webgpu().init();
  } catch (error) {
    report.initError = message(error);
    return report;
  }
  await cpu().init();
  const wanted = (name: string) => options.only === undefined || options.only.some((o) => name.includes(o));
  let started = performance.now();
  // tfjs-backend-webgpu runs a kernel on the host (tfjs-backend-cpu's code) when every input is
  // still in host memory and smaller than 1000 values (WEBGPU_CPU_FORWARD): the kernel cases turn
  // that off so that every one of them runs its WGSL shader. The training cases keep the default.
  const cpuForward = tf.env().getBool('WEBGPU_CPU_FORWARD');
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  for (const c of [...KERNEL_CASES, ...PAIRWISE_CASES].filter((k) => wanted(k.name))) {
    const entry: ConformanceReport['kernels'][number] = { name: c.name, cpu: [], webgpu: [], error: undefined, seconds: 0 };
    const caseStarted = performance.now();
    for (const backend of ['cpu', 'webgpu'] as const) {
      await tf.setBackend(backend);
      try {
        entry[backend] = await evaluate(c.compute);
      } catch (error) {
        entry.error = `${backend}: ${message(error)}`;
      }
    }
    entry.seconds = (performance.now() - caseStarted) / 1000;
    report.kernels.push(entry);
  }
  tf.env().set('WEBGPU_CPU_FORWARD', cpuForward);
  report.seconds.kernels = (performance.now() - started) / 1000;
  started = performance.now();
  for (const backend of ['cpu', 'webgpu'] as const) {
    await tf.setBackend(backend);
    report.random.push(...(await randomChecks()));
  }
  for (const c of TRAINING_CASES.filter((k) => wanted(k.name))) {
    const entry: ConformanceReport['training'][number] = { name: c.name, seconds: {} };
    for (const backend of ['cpu', 'webgpu'] as const) {
      await tf.setBackend(backend);
      const caseStarted = performance.now();
      try {
        entry[backend] = await runTrainingCase(c);
      } catch (error) {
        entry.error = `${backend}: ${message(error)}`;
      }
      entry.seconds[backend] = (performance.now() - caseStarted) / 1000;
    }
    report.training.push(entry);
  }
  report.seconds.training = (performance.now() - started) / 1000;
  await tf.setBackend('cpu');
  report.tensorsAfter = tf.memory().numTensors;
  return report;
}

/**
 * The defects this package corrects, shown on the stock kernels: each runs the case that exposes
 * it with tfjs-backend-webgpu's own kernel put back, and reports its relative error against cpu
 * (the test expects it to be large, so that a tfjs release that fixes the kernel is noticed).
 */
async function stockDefects(): Promise<{ kernel: string; error: number }[]> {
  const found: { kernel: string; error: number }[] = [];
  const terms = () => Array.from({ length: 12 }, (_, i) => tf.mul(tf.ones([3, 4]), i + 1));
  await tf.setBackend('cpu');
  const expected = await tf.tidy(() => tf.addN(terms())).data();
  await tf.setBackend('webgpu');
  const fixed = tf.getKernel('AddN', 'webgpu')!;
  const stock = kernelFixRegistry.stockKernel('AddN');
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({ ...fixed, kernelFunc: stock });
  try {
    const got = tf.tidy(() => tf.addN(terms()));
    const values = await got.data();
    got.dispose();
    found.push({ kernel: 'AddN', error: relativeError(Array.from(values), Array.from(expected)) });
  } finally {
    tf.unregisterKernel('AddN', 'webgpu');
    tf.registerKernel(fixed);
    await tf.setBackend('cpu');
  }
  return found;
}

/** Whether init() without working synchronous reads rejects and leaves cpu active, or works. */
async function initCheck(): Promise<{ error: string | undefined; backend: string; afterwards: number[] }> {
  await cpu().init();
  let error: string | undefined;
  try {
    await webgpu().init();
  } catch (caught) {
    error = message(caught);
  }
  const backend = tf.getBackend();
  const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])));
  const afterwards = Array.from(sum.dataSync());
  sum.dispose();
  return { error, backend, afterwards };
}

Object.assign(globalThis, { __pfmConformance: run, __pfmStockDefects: stockDefects, __pfmInitCheck: initCheck });
