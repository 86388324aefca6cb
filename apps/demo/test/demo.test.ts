// End to end: the production build of the page, served statically, driven in headless Chromium.
// Trains flow-matching on moons for 200 steps on the wasm backend, compares samplers, downloads
// the model file and the samples, and loads that model file in Node as the command line does.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, decodeModelFile, modelFromContent, parseCsv } from '@pfm/core';
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
  losses: number[];
  steps: number;
  comparison: { label: string; nfe: number; msPer1000: number; energy: number }[];
  errors: string[];
}

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
        '--disable-gpu',
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
});
