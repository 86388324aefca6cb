// End to end: the production build of the page, served statically, driven in headless Chromium.
// Trains flow-matching on moons for 200 steps on the wasm backend, compares samplers, downloads
// the model file and the samples, and loads that model file in Node as the command line does.
// Then images: the bundled MNIST digits shown as a grid, a short training run whose samples are
// drawn as a grid, and its model file loaded back into the page, sampled at once and drawn.
// Conditions: a class-conditional flow trained on labelled 8gaussians, sampled for one chosen
// class with guidance through the class picker, and its model file loaded back with the picker.
// WebGPU: Chromium runs with WebGPU on SwiftShader, and a short run on webgpu matches wasm's.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, decodeModelFile, modelFromContent, parseCsv, parseNpy } from '@pfm/core';
import { ownModeFraction } from '@pfm/core/testing';
import { CHROMIUM_WEBGPU_FLAGS } from '@pfm/backend-webgpu/base';
import { readMnist, readPngFolder } from '@pfm/datasets/node';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRegistry } from '../src/registry.js';
import { serveStatic } from './static-server.js';

const CHROMIUM = process.env.PFM_CHROMIUM ?? '/usr/bin/chromium';
const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const output = join(root, 'test-output');
const STEPS = 200;

interface Snapshot {
  state: string;
  backend: string | undefined;
  backendNotice: string | undefined;
  losses: number[];
  steps: number;
  comparison: { label: string; nfe: number; msPer1000: number; energy: number }[];
  errors: string[];
  view: 'scatter' | 'images';
  grid: { count: number; columns: number; shape: number[]; gutter: number; scale: number; left: number; top: number; source: 'data' | 'samples' } | undefined;
  loaded: { method: string; dim: number; eventShape: number[] | undefined; nfe: number; sampleMs: number; count: number } | undefined;
  condition: { classes?: number; contextDim?: number; guided: boolean } | undefined;
  sampled: { class: number | 'all'; guidance: number; count: number; nfe: number } | undefined;
}

type Grid = NonNullable<Snapshot['grid']>;
/** A pixel of a tile of the grid: image k, row y, column x. */
type Probe = [k: number, y: number, x: number];
const PROBES: Probe[] = [0, 9, 30, 63].flatMap((k) => [[k, 14, 14], [k, 7, 20], [k, 20, 9], [k, 0, 0]] as Probe[]);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('the demo page (production build, headless Chromium)', () => {
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  let page: Page;
  let url: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `headless Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium), or set PFM_CHROMIUM to a Chromium binary`,
      );
    }
    if (!existsSync(join(dist, 'index.html'))) throw new Error('dist/index.html is missing: run `vite build` first (the test script does)');
    ({ server, url } = await serveStatic(dist));
    profile = mkdtempSync(join(tmpdir(), 'pfm-demo-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1400, height: 1000 },
      args: [
        '--headless',
        '--no-sandbox',
        // WebGPU on SwiftShader (Chromium's GPU on the CPU) with the synchronous reads tfjs needs
        // (see @pfm/backend-webgpu's README): the page offers webgpu, one run below trains on it.
        ...CHROMIUM_WEBGPU_FLAGS,
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) consoleErrors.push(`HTTP ${response.status()} for ${response.url()}`);
    });
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const snapshot = () => page.evaluate(() => (globalThis as unknown as { __pfmDemo: Snapshot }).__pfmDemo);
  // The red byte of the canvas at the middle of each probed image pixel (grey images: r = g = b).
  const gridBytes = (grid: Grid, probes: Probe[]) =>
    page.evaluate(
      ({ grid, probes }) => {
        const g = (document.getElementById('points') as HTMLCanvasElement).getContext('2d')!;
        const [h, w] = grid.shape as [number, number];
        return probes.map(([k, y, x]) => {
          const px = grid.left + (grid.gutter + (k % grid.columns) * (w + grid.gutter) + x) * grid.scale + Math.floor(grid.scale / 2);
          const py = grid.top + (grid.gutter + Math.floor(k / grid.columns) * (h + grid.gutter) + y) * grid.scale + Math.floor(grid.scale / 2);
          return g.getImageData(px, py, 1, 1).data[0]!;
        });
      },
      { grid, probes },
    );
  const byte = (v: number) => (v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0);
  const waitForState = (states: string[], timeout: number) =>
    page.waitForFunction((wanted) => wanted.includes((globalThis as unknown as { __pfmDemo?: Snapshot }).__pfmDemo?.state ?? ''), states, {
      timeout,
    });

  it('trains flow-matching on moons for 200 steps on wasm: the loss falls, no console error', async () => {
    await page.goto(url);
    await waitForState(['idle', 'error'], 60_000);
    expect((await snapshot()).state).toBe('idle');

    await page.selectOption('#data-source', 'moons');
    await page.selectOption('#method', 'flow-matching');
    await page.selectOption('#backend', 'wasm');
    await page.fill('#steps', String(STEPS));
    await page.dispatchEvent('#steps', 'change');
    // The recipe JSON follows the controls.
    const recipe = JSON.parse(await page.inputValue('#recipe')) as { method: string; steps: number };
    expect(recipe).toMatchObject({ method: 'flow-matching', steps: STEPS });

    const started = Date.now();
    await page.click('#train');
    await waitForState(['done', 'error'], 240_000);
    const seconds = (Date.now() - started) / 1000;
    const after = await snapshot();
    expect(after.errors).toEqual([]);
    expect(after.state).toBe('done');
    expect(after.backend).toBe('wasm');
    expect(after.losses).toHaveLength(STEPS);
    expect(after.losses.every(Number.isFinite)).toBe(true);
    // The velocity regression starts near E‖x1 − x0‖² and falls towards its floor (the
    // conditional variance of x1 − x0 given x_t, far from 0). Over 200 steps the mean of the last
    // 20 losses must be below that of the first 20 by 0.15: a minibatch loss of 256 points has a
    // standard error of about 0.1, so a 20-step mean about 0.03; 0.15 is five of those.
    const first = mean(after.losses.slice(0, 20));
    const last = mean(after.losses.slice(-20));
    console.log(`demo e2e: ${STEPS} steps in ${seconds.toFixed(1)} s (page); loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
    expect(last).toBeLessThan(first - 0.15);
    expect(consoleErrors).toEqual([]);
  });

  it('compares samplers: one Euler step against many, with their NFE', async () => {
    await page.click('#compare');
    await page.waitForFunction(() => (globalThis as unknown as { __pfmDemo: Snapshot }).__pfmDemo.comparison.length > 0, undefined, {
      timeout: 120_000,
    });
    const { comparison, errors } = await snapshot();
    expect(errors).toEqual([]);
    const byLabel = Object.fromEntries(comparison.map((r) => [r.label, r]));
    expect(byLabel['euler, 1 step']?.nfe).toBe(1);
    expect(byLabel['euler, 100 steps']?.nfe).toBe(100);
    expect(byLabel['rk4, 10 steps']?.nfe).toBe(40);
    for (const row of comparison) {
      expect(Number.isFinite(row.energy)).toBe(true);
      expect(row.msPer1000).toBeGreaterThan(0);
    }
    console.log(`demo e2e: ${comparison.map((r) => `${r.label}: ${r.msPer1000.toFixed(1)} ms, energy ${r.energy.toFixed(4)}`).join('; ')}`);
    // One straight step from the noise lands near the data mean, far from the two moons; 100
    // steps follow the learned flow. A wrong NFE accounting or a broken integrator would not.
    expect(byLabel['euler, 100 steps']!.energy).toBeLessThan(byLabel['euler, 1 step']!.energy);
    // The table shows every sampler and the training data's own score.
    expect(await page.locator('#comparison tbody tr').count()).toBe(comparison.length + 1);

    mkdirSync(output, { recursive: true });
    await page.screenshot({ path: join(output, 'demo.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  it('downloads a model file that loads and samples in Node, and 1,000 samples as CSV', async () => {
    const [modelDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
    expect(modelDownload.suggestedFilename()).toBe('flow-matching.json');
    const json = readFileSync(await modelDownload.path(), 'utf8');
    // Kept beside the screenshot: `pfm sample --model test-output/flow-matching.json …` reads it.
    mkdirSync(output, { recursive: true });
    writeFileSync(join(output, 'flow-matching.json'), json);
    const content = decodeModelFile(json, { source: 'flow-matching.json' });
    expect(content.method).toBe('flow-matching');
    expect(content.training).toMatchObject({ status: 'completed', steps: STEPS, backend: 'wasm' });
    const model = modelFromContent(content, createDemoRegistry(), 'flow-matching.json');
    try {
      const x = model.sample(64, createRng(0), { steps: 10 });
      expect(x.shape).toEqual([64, 2]);
      expect(Array.from(x.dataSync()).every(Number.isFinite)).toBe(true);
      x.dispose();
    } finally {
      model.dispose();
    }

    const [samplesDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-samples')]);
    const table = parseCsv(readFileSync(await samplesDownload.path(), 'utf8'), { source: 'samples.csv' });
    expect([table.rows, table.cols]).toEqual([1000, 2]);
    expect(table.header).toEqual(['x', 'y']);
    expect(Array.from(table.values).every(Number.isFinite)).toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  it('offers webgpu and trains on it (SwiftShader) as on wasm: the same losses, step for step', async () => {
    // A short run of a one-step method (no 100-step sampler at the end, which SwiftShader, the GPU
    // emulated on the CPU, takes tens of seconds for): energy on moons, 12 steps of 64 points,
    // once on wasm and once on webgpu from the same seed. Minibatches and noise come from pfm's
    // Rng, the same on every backend, so the two runs must agree up to float32 rounding (measured
    // 1e-5 relative); a wrong kernel or a lost gradient is off by far more.
    const recipe = { method: 'energy', steps: 12, batchSize: 64, seed: 0, optimizer: { name: 'adam', lr: 0.01 } };
    const option = page.locator('#backend option[value="webgpu"]');
    expect(await option.isDisabled()).toBe(false);
    await page.fill('#recipe', JSON.stringify(recipe));
    expect(await page.inputValue('#method')).toBe('energy');
    const losses: Record<string, number[]> = {};
    for (const backend of ['wasm', 'webgpu']) {
      await page.selectOption('#backend', backend);
      const started = Date.now();
      await page.click('#train');
      await waitForState(['done', 'error'], 280_000);
      const after = await snapshot();
      console.log(`demo e2e: energy on moons, ${recipe.steps} steps on ${backend} in ${((Date.now() - started) / 1000).toFixed(1)} s (page)`);
      expect(after.errors).toEqual([]);
      // Not a silent fallback: the run was on the backend chosen, and the page shows no notice.
      expect(after.backendNotice).toBeUndefined();
      expect(after.backend).toBe(backend);
      expect(after.losses).toHaveLength(recipe.steps);
      expect(after.losses.every(Number.isFinite)).toBe(true);
      losses[backend] = after.losses;
    }
    const wasmLosses = losses['wasm']!;
    const webgpuLosses = losses['webgpu']!;
    const scale = Math.max(...wasmLosses.map(Math.abs));
    const gap = Math.max(...webgpuLosses.map((l, i) => Math.abs(l - wasmLosses[i]!)));
    console.log(`demo e2e: webgpu against wasm, largest loss difference ${gap.toExponential(2)} of ${scale.toFixed(3)}`);
    expect(gap).toBeLessThanOrEqual(1e-3 * scale);
    // And it learns: the energy distance of the last 4 batches is under half that of the first 4
    // (measured about 1.04 -> 0.2).
    expect(mean(webgpuLosses.slice(-4))).toBeLessThan(0.5 * mean(webgpuLosses.slice(0, 4)));
    const [modelDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
    const content = decodeModelFile(readFileSync(await modelDownload.path(), 'utf8'), { source: 'energy.json' });
    expect(content.training).toMatchObject({ status: 'completed', steps: recipe.steps, backend: 'webgpu' });
    await page.selectOption('#backend', 'wasm');
    expect(consoleErrors).toEqual([]);
  });

  it('trains a conditional flow on labelled 8gaussians; the class picker samples a chosen class with guidance, and most samples land in that mode', async () => {
    // A short run: 80 steps at lr 3e-3, sampled with 20 Euler steps (in Node on cpu, 60 such steps
    // already put 99.8% of class 3 and 6 samples at w = 2 in their own mode).
    const steps = 80;
    await page.selectOption('#data-source', '8gaussians');
    expect(await page.isVisible('#condition-tools')).toBe(true);
    expect(await page.textContent('#conditional-label')).toBe('Conditional: train on the labels (8 classes)');
    await page.check('#conditional');
    const recipe = {
      method: 'flow-matching',
      options: { conditionDropout: 0.2, sampler: { integrator: 'euler', steps: 20 } },
      model: { hidden: [64, 64] },
      optimizer: { name: 'adam', lr: 3e-3 },
      steps,
      batchSize: 256,
      seed: 0,
    };
    await page.fill('#recipe', JSON.stringify(recipe));
    expect(await page.inputValue('#method')).toBe('flow-matching');
    expect(await page.inputValue('input[name="option-conditionDropout"]')).toBe('0.2');
    const started = Date.now();
    await page.click('#train');
    await waitForState(['done', 'error'], 240_000);
    // After training the picker shows every class (1,000 points, sample i of class i mod 8).
    await page.waitForFunction(() => (globalThis as unknown as { __pfmDemo: Snapshot }).__pfmDemo.sampled !== undefined, undefined, { timeout: 60_000 });
    const trained = await snapshot();
    console.log(`demo e2e: conditional flow-matching on 8gaussians, ${steps} steps in ${((Date.now() - started) / 1000).toFixed(1)} s (page)`);
    expect(trained.errors).toEqual([]);
    expect(trained.condition).toEqual({ classes: 8, guided: true });
    expect(trained.sampled).toMatchObject({ class: 'all', guidance: 1, count: 1000 });
    expect(await page.isVisible('#class-picker')).toBe(true);
    expect(await page.locator('#sample-class option').count()).toBe(9);

    // Classes 3 and 6 at guidance 2: the samples, downloaded, fall nearest to their centre (99.8%
    // in Node); 0.9 leaves room for the wasm backend's different rounding, while a model that
    // ignored the class would score about 1/8.
    const fractions: Record<number, number> = {};
    for (const chosen of [3, 6]) {
      await page.selectOption('#sample-class', String(chosen));
      await page.$eval('#guidance', (input, w) => {
        (input as HTMLInputElement).value = w;
        input.dispatchEvent(new Event('input'));
        input.dispatchEvent(new Event('change'));
      }, '2');
      await page.waitForFunction(
        (k) => {
          const s = (globalThis as unknown as { __pfmDemo: Snapshot }).__pfmDemo.sampled;
          return s?.class === k && s.guidance === 2;
        },
        chosen,
        { timeout: 60_000 },
      );
      expect((await snapshot()).sampled).toMatchObject({ class: chosen, guidance: 2, count: 1000 });
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-samples')]);
      const table = parseCsv(readFileSync(await download.path(), 'utf8'), { source: 'samples.csv' });
      expect([table.rows, table.cols]).toEqual([1000, 2]);
      const x = tf.tensor2d(table.values, [1000, 2]);
      fractions[chosen] = ownModeFraction(x, new Array<number>(1000).fill(chosen));
      x.dispose();
    }
    console.log(`demo e2e: own-mode fraction at w = 2: class 3 ${fractions[3]!.toFixed(3)}, class 6 ${fractions[6]!.toFixed(3)}`);
    expect(fractions[3]).toBeGreaterThan(0.9);
    expect(fractions[6]).toBeGreaterThan(0.9);
    mkdirSync(output, { recursive: true });
    await page.screenshot({ path: join(output, 'demo-conditional.png'), fullPage: true });

    // The model file records the condition; loaded back, it brings the picker with it.
    const [modelDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
    const json = readFileSync(await modelDownload.path(), 'utf8');
    expect(decodeModelFile(json, { source: 'conditional.json' }).condition).toEqual({ kind: 'class', classes: 8 });
    await page.uncheck('#conditional');
    await page.selectOption('#data-source', 'moons');
    // Forget any model loaded before, so that the wait below can only see this file's.
    await page.evaluate(() => {
      (globalThis as unknown as { __pfmDemo: Snapshot }).__pfmDemo.loaded = undefined;
    });
    await page.setInputFiles('#model-file', { name: 'conditional.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await page.waitForFunction(() => (globalThis as unknown as { __pfmDemo: Snapshot }).__pfmDemo.loaded?.method === 'flow-matching', undefined, { timeout: 60_000 });
    await page.waitForFunction(() => (globalThis as unknown as { __pfmDemo: Snapshot }).__pfmDemo.sampled?.class === 'all', undefined, { timeout: 60_000 });
    const loaded = await snapshot();
    expect(loaded.errors).toEqual([]);
    expect(loaded.condition).toEqual({ classes: 8, guided: true });
    expect(await page.isVisible('#class-picker')).toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  it('takes points drawn with the mouse and an uploaded CSV as the data', async () => {
    await page.selectOption('#data-source', 'draw');
    await page.click('#clear-points');
    expect(await page.textContent('#data-info')).toBe('0 points');
    const box = (await page.locator('#points').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * (0.3 + 0.04 * i), box.y + box.height * 0.5);
    await page.mouse.up();
    // Each pointer event adds 4 jittered points.
    const drawn = Number((await page.textContent('#data-info'))!.split(' ')[0]);
    expect(drawn).toBeGreaterThanOrEqual(40);

    await page.selectOption('#data-source', 'upload');
    const csv = 'x,y\n' + Array.from({ length: 50 }, (_, i) => `${Math.cos(i / 8)},${Math.sin(i / 8)}`).join('\n') + '\n';
    await page.setInputFiles('#upload', { name: 'circle.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => document.getElementById('data-info')?.textContent === '50 points');
    await page.setInputFiles('#upload', { name: 'three.csv', mimeType: 'text/csv', buffer: Buffer.from('1,2,3\n4,5,6\n') });
    await page.waitForFunction(() => document.getElementById('data-info')?.textContent?.includes('needs 2 columns'));
    expect(consoleErrors).toEqual([]);
  });

  it('shows the bundled MNIST digits as a grid of images and switches to the image recipe', async () => {
    await page.selectOption('#data-source', 'mnist');
    await page.waitForFunction(() => document.getElementById('data-info')?.textContent?.startsWith('1000 images'), undefined, { timeout: 60_000 });
    expect(await page.textContent('#data-info')).toBe('1000 images of 28×28×1, 250 held out for comparison');
    const { view, grid, errors } = await snapshot();
    expect(errors).toEqual([]);
    expect(view).toBe('images');
    expect(grid).toMatchObject({ source: 'data', count: 64, columns: 8, shape: [28, 28, 1] });
    expect(grid!.scale).toBeGreaterThanOrEqual(1);
    // Tile k is training image k of the bundled slice: the first 100 training images of digit 0
    // come first, read here from the same package the build read them from.
    const train = readMnist({ split: 'train' });
    const expected = PROBES.map(([k, y, x]) => byte(train.values[k * 784 + y * 28 + x]!));
    expect(expected.some((b) => b > 200)).toBe(true); // the probes hit ink, not only background
    expect(await gridBytes(grid!, PROBES)).toEqual(expected);
    const recipe = JSON.parse(await page.inputValue('#recipe')) as { method: string; model: Record<string, unknown> };
    expect(recipe).toMatchObject({ method: 'energy', model: {} });
    expect(await page.isVisible('#images-legend')).toBe(true);
    expect(await page.isVisible('#points-legend')).toBe(false);
    expect(consoleErrors).toEqual([]);
  });

  it('trains on the digits for a short budget on wasm and draws the samples as a grid; the files keep the image shape', async () => {
    const steps = 12;
    await page.selectOption('#backend', 'wasm');
    await page.fill('#steps', String(steps));
    await page.dispatchEvent('#steps', 'change');
    const started = Date.now();
    await page.click('#train');
    await waitForState(['done', 'error'], 240_000);
    const after = await snapshot();
    console.log(`demo e2e: energy on mnist, ${steps} steps in ${((Date.now() - started) / 1000).toFixed(1)} s (page)`);
    expect(after.errors).toEqual([]);
    expect(after.state).toBe('done');
    expect(after.losses).toHaveLength(steps);
    expect(after.losses.every(Number.isFinite)).toBe(true);
    expect(after.view).toBe('images');
    expect(after.grid).toMatchObject({ source: 'samples', count: 64, shape: [28, 28, 1] });
    mkdirSync(output, { recursive: true });
    await page.screenshot({ path: join(output, 'demo-mnist.png'), fullPage: true });

    const [modelDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
    expect(modelDownload.suggestedFilename()).toBe('energy.json');
    writeFileSync(join(output, 'energy-mnist.json'), readFileSync(await modelDownload.path(), 'utf8'));
    const content = decodeModelFile(readFileSync(join(output, 'energy-mnist.json'), 'utf8'), { source: 'energy-mnist.json' });
    expect([content.dim, content.eventShape]).toEqual([784, [28, 28, 1]]);
    expect(content.training).toMatchObject({ steps, data: { rows: 1000, cols: 784, shape: [28, 28, 1] } });

    const [samplesDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-samples')]);
    expect(samplesDownload.suggestedFilename()).toBe('energy-samples.npy');
    const npy = parseNpy(new Uint8Array(readFileSync(await samplesDownload.path())), { source: 'energy-samples.npy' });
    expect([npy.rows, npy.cols, npy.shape]).toEqual([1000, 784, [28, 28, 1]]);
    expect(Array.from(npy.values).every((v) => v >= 0 && v <= 1)).toBe(true); // the generator ends in a sigmoid
    expect(consoleErrors).toEqual([]);
  });

  it('loads a model file of images over 2-D data: samples at once, drawn as a grid, pixel for pixel what Node draws', async () => {
    await page.selectOption('#data-source', 'moons');
    expect((await snapshot()).view).toBe('scatter');
    const file = join(output, 'energy-mnist.json');
    await page.setInputFiles('#model-file', { name: 'digits.json', mimeType: 'application/json', buffer: readFileSync(file) });
    // The page reads the file before it shows 'loading', and an earlier test left a model loaded and
    // the state 'done': wait for this file's model (784 values a point), or for an error.
    await page.waitForFunction(
      () => {
        const demo = (globalThis as unknown as { __pfmDemo: Snapshot }).__pfmDemo;
        return demo.state === 'error' || (demo.state === 'done' && demo.loaded?.dim === 784);
      },
      undefined,
      { timeout: 60_000 },
    );
    const { loaded, grid, view, errors, state } = await snapshot();
    expect(errors).toEqual([]);
    expect(state).toBe('done');
    expect(loaded).toMatchObject({ method: 'energy', dim: 784, eventShape: [28, 28, 1], nfe: 1, count: 64 });
    console.log(`demo e2e: loaded an image model, 64 samples in ${loaded!.sampleMs.toFixed(0)} ms on wasm`);
    // A one-step generator: 64 images are one network pass, well under a second even on a loaded
    // machine (the bound is loose on purpose; the time is also shown on the page).
    expect(loaded!.sampleMs).toBeLessThan(2000);
    expect(view).toBe('images');
    expect(grid).toMatchObject({ source: 'samples', count: 64, columns: 8, shape: [28, 28, 1] });
    // The page drew the model's first 64 samples with seed 0; Node draws them from the same file on
    // the cpu backend. Backends differ in the last float bits, so a byte may be off by one.
    const model = modelFromContent(decodeModelFile(readFileSync(file, 'utf8'), { source: 'digits.json' }), createDemoRegistry(), 'digits.json');
    try {
      const x = model.sample(64, createRng(0));
      const values = x.dataSync();
      x.dispose();
      const expected = PROBES.map(([k, y, x]) => byte(values[k * 784 + y * 28 + x]!));
      const drawn = await gridBytes(grid!, PROBES);
      drawn.forEach((b, i) => expect(Math.abs(b - expected[i]!), `probe ${PROBES[i]!.join(', ')}: ${b} vs ${expected[i]}`).toBeLessThanOrEqual(1));
      // Tiles differ: the grid shows 64 draws, not one image repeated.
      expect(new Set(PROBES.filter(([, y, x]) => y === 14 && x === 14).map(([k]) => values[k * 784 + 14 * 28 + 14])).size).toBeGreaterThan(1);
    } finally {
      model.dispose();
    }
    await page.screenshot({ path: join(output, 'demo-loaded-model.png'), fullPage: true });
    // The grid as a PNG, laid out as `pfm sample --grid` (8 tiles a row, 2-pixel gutter, one pixel
    // per image pixel): its pixels are the canvas's.
    const [gridDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-grid')]);
    expect(gridDownload.suggestedFilename()).toBe('samples-grid.png');
    const gridFolder = join(output, 'grid');
    rmSync(gridFolder, { recursive: true, force: true });
    mkdirSync(gridFolder, { recursive: true });
    writeFileSync(join(gridFolder, 'samples-grid.png'), readFileSync(await gridDownload.path()));
    const png = await readPngFolder(gridFolder);
    const side = 8 * 28 + 9 * 2;
    expect(png.shape).toEqual([side, side, 3]); // canvas PNGs are RGBA; the reader drops alpha
    const drawnAgain = await gridBytes(grid!, PROBES);
    PROBES.forEach(([k, y, x], i) => {
      const top = 2 + Math.floor(k / 8) * 30 + y;
      const left = 2 + (k % 8) * 30 + x;
      expect(Math.round(png.values[(top * side + left) * 3]! * 255), `probe ${k}, ${y}, ${x}`).toBe(drawnAgain[i]);
    });
    // Compare needs data of the model's dimension: moons has 2, so it says so.
    await page.click('#compare');
    await page.waitForFunction(() => (globalThis as unknown as { __pfmDemo: Snapshot }).__pfmDemo.errors.length > 0, undefined, { timeout: 30_000 });
    expect((await snapshot()).errors).toEqual(['compare: the model samples dim 784; choose data of that dimension, then load the model again']);
    expect(consoleErrors).toEqual([]);
  });
});
