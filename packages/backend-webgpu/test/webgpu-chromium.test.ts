// The conformance suite on WebGPU: bundles test/conformance/page.ts, opens it in headless
// Chromium with WebGPU (SwiftShader, Chromium's CPU implementation of the GPU, where there is no
// GPU), and compares every kernel case and training case computed on webgpu with the cpu backend
// in the same page. Tolerances are stated beside each case (kernel-cases.ts, training-cases.ts).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_WEBGPU_FLAGS } from '../src/chromium/chromium-webgpu-flags.js';
import { KERNEL_CASES } from './conformance/kernel-cases.js';
import { PAIRWISE_CASES } from './conformance/pairwise-cases.js';
import { relativeError } from './conformance/relative-error.js';
import type { ConformanceReport } from './conformance/report.js';
import { TRAINING_CASES } from './conformance/training-cases.js';
import { serveStatic } from './serve-static.js';

const CHROMIUM = process.env.PFM_CHROMIUM ?? '/usr/bin/chromium';
const output = join(import.meta.dirname, '..', 'test-output', 'conformance-page');
const BASE_ARGS = ['--headless=new', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// WebGPU on, without the flags of CHROMIUM_WEBGPU_FLAGS that make synchronous reads work: the refusal's regression case.
const WEBGPU_WITHOUT_SYNC_READS = CHROMIUM_WEBGPU_FLAGS.filter((flag) => flag === '--enable-unsafe-webgpu');

const skipReason = existsSync(CHROMIUM) ? undefined : `headless Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set PFM_CHROMIUM)`;
if (skipReason) console.warn(`@pfm/backend-webgpu: WebGPU conformance skipped: ${skipReason}`);

/** WebGPU's validation messages (an invalid shader or pipeline: the kernel then writes nothing). */
const gpuErrors: string[] = [];

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/WGSL|Invalid |is invalid/.test(message.text())) gpuErrors.push(message.text());
  });
  await page.goto(url);
  await page.waitForFunction(() => '__pfmConformance' in globalThis, undefined, { timeout: 60_000 });
  return page;
}

describe.skipIf(skipReason !== undefined)('@pfm/backend-webgpu in headless Chromium (WebGPU on SwiftShader)', () => {
  let server: Server | undefined;
  let url = '';
  const browsers: Browser[] = [];
  let report: ConformanceReport;
  let stockDefects: { kernel: string; error: number }[];
  let gpuErrorsOfSuite: string[] = [];

  beforeAll(async () => {
    rmSync(output, { recursive: true, force: true });
    mkdirSync(output, { recursive: true });
    await build({
      entryPoints: [join(import.meta.dirname, 'conformance', 'page.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(output, 'page.js'),
      logLevel: 'error',
    });
    writeFileSync(join(output, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="page.js"></script>\n');
    ({ server, url } = await serveStatic(output));
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_WEBGPU_FLAGS, ...BASE_ARGS] });
    browsers.push(browser);
    const page = await openPage(browser, url);
    report = await page.evaluate(() => (globalThis as unknown as { __pfmConformance(): Promise<ConformanceReport> }).__pfmConformance());
    gpuErrorsOfSuite = [...gpuErrors];
    stockDefects = await page.evaluate(() => (globalThis as unknown as { __pfmStockDefects(): Promise<{ kernel: string; error: number }[]> }).__pfmStockDefects());
    const info = report.adapter;
    console.log(
      `WebGPU adapter: vendor "${info.vendor}", architecture "${info.architecture}", device "${info.device}", description "${info.description}"; ` +
        `kernel cases ${report.seconds.kernels?.toFixed(1)} s, training cases ${report.seconds.training?.toFixed(1)} s`,
    );
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it('starts webgpu on an adapter, builds every shader and leaves no tensor behind', () => {
    expect(report.initError).toBeUndefined();
    expect(gpuErrorsOfSuite).toEqual([]);
    expect(report.adapter.vendor, 'adapter vendor').not.toBe('');
    expect(report.tensorsAfter).toBe(report.tensorsBefore);
  });

  for (const kernelCase of [...KERNEL_CASES, ...PAIRWISE_CASES]) {
    it(`${kernelCase.name}: webgpu = cpu within ${kernelCase.rtol === 0 ? 'exact' : kernelCase.rtol}`, () => {
      const got = report.kernels.find((k) => k.name === kernelCase.name);
      expect(got, 'case ran').toBeDefined();
      expect(got!.error).toBeUndefined();
      expect(got!.cpu).toHaveLength(kernelCase.outputs.length);
      expect(got!.webgpu).toHaveLength(kernelCase.outputs.length);
      kernelCase.outputs.forEach((label, i) => {
        const reference = got!.cpu[i]!;
        const actual = got!.webgpu[i]!;
        expect(actual.shape, label).toEqual(reference.shape);
        expect(actual.dtype, label).toBe(reference.dtype);
        expect(relativeError(actual.values, reference.values), label).toBeLessThanOrEqual(kernelCase.rtol);
      });
    });
  }

  it('random ops: the shapes asked for, uniform draws inside [lo, hi), normal draws centred', () => {
    const onWebgpu = report.random.filter((r) => r.backend === 'webgpu');
    expect(onWebgpu).toHaveLength(4);
    for (const check of onWebgpu) {
      expect(check.shape, check.name).toEqual(check.expectedShape);
      expect(check.min, check.name).toBeGreaterThanOrEqual(check.lo);
      expect(check.max, check.name).toBeLessThan(check.hi);
      // Means of ≥ 900 draws: standard error ≤ 1.45/√900 ≈ 0.05; 0.2 is four of those. The
      // normal draws (lo = −∞, hi = +∞) are centred at 0.
      const centre = Number.isFinite(check.lo) ? (check.lo + check.hi) / 2 : 0;
      expect(Math.abs(check.mean - centre), check.name).toBeLessThan(0.2);
    }
  });

  for (const trainingCase of TRAINING_CASES) {
    it(`${trainingCase.name}: losses within ${trainingCase.lossRtol}, weights within ${trainingCase.weightRtol} of cpu`, () => {
      const got = report.training.find((t) => t.name === trainingCase.name);
      expect(got, 'case ran').toBeDefined();
      expect(got!.error).toBeUndefined();
      const cpu = got!.cpu!;
      const webgpu = got!.webgpu!;
      expect(webgpu.losses).toHaveLength(cpu.losses.length);
      expect(cpu.losses.every(Number.isFinite)).toBe(true);
      expect(relativeError(webgpu.losses, cpu.losses), 'losses').toBeLessThanOrEqual(trainingCase.lossRtol);
      expect(webgpu.weights.length).toBeGreaterThan(0);
      expect(relativeError(webgpu.weights, cpu.weights), 'weights').toBeLessThanOrEqual(trainingCase.weightRtol);
    });
  }

  it('regression: the stock AddN of 12 tensors is wrong on this adapter (so the correction is still needed)', () => {
    expect(stockDefects.find((d) => d.kernel === 'AddN')!.error).toBeGreaterThan(0.1);
  });

  it('regression: without Vulkan, synchronous reads return zeros, so init() rejects and leaves cpu active', async () => {
    expect(WEBGPU_WITHOUT_SYNC_READS).toEqual(['--enable-unsafe-webgpu']);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...WEBGPU_WITHOUT_SYNC_READS, ...BASE_ARGS] });
    browsers.push(browser);
    const page = await openPage(browser, url);
    const seen = await page.evaluate(() => (globalThis as unknown as { __pfmInitCheck(): Promise<{ error: string | undefined; backend: string; afterwards: number[] }> }).__pfmInitCheck());
    // A Chromium whose canvas can take WebGPU textures (a real GPU) reads right: init() then succeeds.
    if (seen.error === undefined) {
      expect(seen.backend).toBe('webgpu');
    } else {
      expect(seen.error).toMatch(
        /^@pfm\/backend-webgpu: synchronous reads from the GPU are wrong in this browser \(dataSync\(\) of \[2\.25, 4, 10\.5625, 16\] returned \[0, 0, 0, 0\]; .*use @pfm\/backend-webgl, @pfm\/backend-wasm or @pfm\/backend-cpu instead$/,
      );
      expect(seen.backend).toBe('cpu');
    }
    expect(seen.afterwards).toEqual([4, 6]);
  });
});
