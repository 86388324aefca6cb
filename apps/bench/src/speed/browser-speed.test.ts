import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adapterLine, CHROMIUM_WEBGPU_ARGS, findChromium } from './browser-speed.js';
import { speedHelp } from './speed-help.js';

// The browser column itself runs Chromium for minutes on SwiftShader (a benchmark, not a test):
// here, that the flag is known and refused before any work where Chromium is missing.
const speedScript = fileURLToPath(new URL('../../dist/speed.js', import.meta.url));
const missing = '/nonexistent/chromium';

describe('bench:speed --browser', () => {
  it('finds Chromium through PFM_CHROMIUM and says what to install when it is missing', () => {
    expect(findChromium({ PFM_CHROMIUM: process.execPath })).toBe(process.execPath);
    expect(() => findChromium({ PFM_CHROMIUM: missing })).toThrow(
      `--browser needs headless Chromium, not found at ${missing}: install Debian's chromium package (apt-get install -y chromium) or set PFM_CHROMIUM to a Chromium binary`,
    );
    // WebGPU on, and the Vulkan flags without which tfjs's synchronous reads return zeros.
    for (const flag of ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader']) expect(CHROMIUM_WEBGPU_ARGS).toContain(flag);
    expect(speedHelp(['a'])).toContain('[--browser]');
  });

  it.skipIf(!existsSync(speedScript))('is parsed by the suite and refused with that error, exit code 1 and nothing written, before any case runs', () => {
    const run = spawnSync(process.execPath, [speedScript, '--browser', '--out', missing, '--cases', 'matmul'], {
      env: { ...process.env, PFM_CHROMIUM: missing },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`bench:speed: --browser needs headless Chromium, not found at ${missing}: install Debian's chromium package (apt-get install -y chromium) or set PFM_CHROMIUM to a Chromium binary\n`);
    expect(existsSync(missing)).toBe(false);
  });

  it('names the adapter under the table, and says when SwiftShader timings mean nothing for a GPU', () => {
    const results = { userAgent: 'Chrome/156', tfBackend: 'webgpu', results: [] };
    expect(adapterLine({ ...results, adapter: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' } })).toBe(
      'webgpu (Chromium): adapter vendor "google", architecture "swiftshader", device "", description ""; Chrome/156. SwiftShader is the GPU emulated on the CPU: these timings say nothing about a real GPU.',
    );
    expect(adapterLine({ ...results, adapter: { vendor: 'nvidia', architecture: 'ampere', device: '', description: 'RTX' } })).not.toContain('SwiftShader');
  });
});
