// The speed suite's browser column: bundles browser-speed-page.ts (the same cases as the Node
// workers, on @pfm/backend-webgpu) with esbuild, serves it on 127.0.0.1 (a secure context, which
// WebGPU requires), opens it in headless Chromium with WebGPU enabled and returns the timings
// with the adapter that ran them. Without a GPU, Chromium's adapter is SwiftShader (the GPU
// emulated on the CPU): its timings say nothing about a real GPU.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_WEBGPU_FLAGS } from '@pfm/backend-webgpu/base';
import type { SpeedResult, SpeedSettings } from './speed-cases.js';

/** What the page returns: the adapter, the browser, and the results of each case. */
export interface BrowserSpeedOutput {
  adapter: { vendor: string; architecture: string; device: string; description: string };
  userAgent: string;
  tfBackend: string;
  results: SpeedResult[];
}

/**
 * Chromium's flags: headless, and WebGPU with the synchronous reads tfjs needs
 * (`CHROMIUM_WEBGPU_FLAGS` of @pfm/backend-webgpu, where each is explained).
 */
export const CHROMIUM_WEBGPU_ARGS = [
  '--headless=new',
  '--no-sandbox',
  ...CHROMIUM_WEBGPU_FLAGS,
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium binary `--browser` uses: `PFM_CHROMIUM`, else /usr/bin/chromium; throws saying what to install when it is missing. */
export function findChromium(env: Record<string, string | undefined> = process.env): string {
  const path = env['PFM_CHROMIUM'] ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`--browser needs headless Chromium, not found at ${path}: install Debian's chromium package (apt-get install -y chromium) or set PFM_CHROMIUM to a Chromium binary`);
  }
  return path;
}

// Modules the bundle must not pull in: Node's own and onnxruntime-node (the cases that use them
// skip in the browser). Each becomes an object whose members throw if a case ever calls them.
const NODE_ONLY = /^(node:.*|onnxruntime-node|fs|os|path|url|child_process|worker_threads|module)$/;
const STUB = `module.exports = new Proxy({}, { get: (_, name) => name === '__esModule' ? false : () => { throw new Error('not available in the browser: ' + String(name)); } });`;

/** The page's source: beside this file when run from src, under ../src/speed from dist. */
function pageSource(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'browser-speed-page.ts'), join(here, '..', 'src', 'speed', 'browser-speed-page.ts')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`--browser: the page source browser-speed-page.ts is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * Runs the speed cases of `settings` in headless Chromium (`chromium`) on WebGPU; `onCase`
 * hears each case as it starts. Rejects when WebGPU does not start there (the page's reason).
 */
export async function runBrowserSpeed(settings: SpeedSettings, chromium: string, onCase?: (label: string) => void): Promise<BrowserSpeedOutput> {
  const { build } = await import('esbuild');
  const { chromium: launcher } = await import('playwright-core');
  const folder = mkdtempSync(join(tmpdir(), 'pfm-bench-browser-'));
  const server = createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://localhost').pathname === '/page.js' ? 'page.js' : 'index.html';
    response.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8' }).end(readFileSync(join(folder, name)));
  });
  try {
    await build({
      entryPoints: [pageSource()],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(folder, 'page.js'),
      logLevel: 'error',
      plugins: [
        {
          name: 'node-only-stubs',
          setup(b) {
            b.onResolve({ filter: NODE_ONLY }, (args) => ({ path: args.path, namespace: 'node-only' }));
            b.onLoad({ filter: /.*/, namespace: 'node-only' }, () => ({ contents: STUB, loader: 'js' }));
          },
        },
      ],
    });
    writeFileSync(join(folder, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="page.js"></script>\n');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const browser = await launcher.launch({ executablePath: chromium, headless: true, args: CHROMIUM_WEBGPU_ARGS });
    try {
      const page = await browser.newPage();
      page.on('console', (message) => {
        const text = message.text();
        if (text.startsWith('webgpu: ')) onCase?.(text.slice('webgpu: '.length));
      });
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => '__pfmBrowserSpeed' in globalThis, undefined, { timeout: 120_000 });
      page.setDefaultTimeout(0);
      return await page.evaluate((s) => (globalThis as unknown as { __pfmBrowserSpeed(s: SpeedSettings): Promise<BrowserSpeedOutput> }).__pfmBrowserSpeed(s), settings);
    } finally {
      await browser.close();
    }
  } finally {
    server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The line under the table that says which adapter the browser column ran on. */
export function adapterLine(output: BrowserSpeedOutput): string {
  const a = output.adapter;
  const swiftshader = a.architecture === 'swiftshader' || /swiftshader/i.test(a.description);
  return (
    `webgpu (Chromium): adapter vendor "${a.vendor}", architecture "${a.architecture}", device "${a.device}", description "${a.description}"; ${output.userAgent}.` +
    (swiftshader ? ' SwiftShader is the GPU emulated on the CPU: these timings say nothing about a real GPU.' : '')
  );
}
