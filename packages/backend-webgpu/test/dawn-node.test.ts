// WebGPU in Node.js through the npm `webgpu` package (Dawn's dawn.node, prebuilt inside the
// package): a fresh Node process asks Dawn for an adapter and, where there is one, puts its
// navigator.gpu in place before importing @pfm/backend-webgpu (tfjs registers its webgpu
// backend only if navigator.gpu exists at import) and calls webgpu().init(). Node has no
// OffscreenCanvas, through which tfjs 4.22 reads the GPU synchronously, so init() refuses there
// with that reason; tfjs's webgpu backend itself still runs with asynchronous reads, and the
// process checks a few kernels, the fused energy-distance pair sums among them, against their
// closed form. Dawn needs a Vulkan driver: where Debian's Chromium is installed, its SwiftShader
// Vulkan (libvk_swiftshader.so with its own libvulkan.so.1) is one; without a driver, or with one
// lacking what Dawn needs (Mesa's lavapipe), requestAdapter() returns null and the test is
// skipped with that reason.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM_LIBS = '/usr/lib/chromium';
const SWIFTSHADER_ICD = `${CHROMIUM_LIBS}/vk_swiftshader_icd.json`;

const script = `
import { create, globals } from 'webgpu';
const gpu = create([]);
const adapter = await gpu.requestAdapter();
if (adapter === null) {
  console.log(JSON.stringify({ adapter: null }));
  process.exit(0);
}
Object.assign(globalThis, globals);
Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
const tf = await import('@tensorflow/tfjs-core');
const { webgpu } = await import('@pfm/backend-webgpu');
let initError;
try {
  await webgpu().init();
} catch (error) {
  initError = error.message;
  // The factory stays registered: tfjs's backend with asynchronous reads only.
  await tf.setBackend('webgpu');
}
tf.env().set('WEBGPU_CPU_FORWARD', false);
const x = tf.tensor2d([0, 0, 3, 4, 1, 1], [3, 2]);
const y = tf.tensor2d([0, 0, 6, 8], [2, 2]);
const squares = Array.from(await tf.square(tf.tensor1d([1.5, 2, 3.25, 4])).data());
const rows = Array.from(await tf.engine().runKernel('PfmPairwiseDistancePowerSum', { x, y }, { exponent: 1 }).data());
const { vendor, architecture, description } = adapter.info;
console.log(JSON.stringify({ adapter: { vendor, architecture, description }, initError, backend: tf.getBackend(), squares, rows }));
process.exit(0);
`;

interface Seen {
  adapter: { vendor: string; architecture: string; description: string } | null;
  initError?: string;
  backend?: string;
  squares?: number[];
  rows?: number[];
}

describe('@pfm/backend-webgpu in Node.js with Dawn (the npm webgpu package)', () => {
  it("runs tfjs's webgpu backend and the fused kernels on a Dawn adapter, and init() refuses for want of synchronous reads; or is skipped saying there is no adapter", (context) => {
    const swiftshader = existsSync(SWIFTSHADER_ICD);
    const env = swiftshader ? { ...process.env, LD_LIBRARY_PATH: CHROMIUM_LIBS, VK_ICD_FILENAMES: SWIFTSHADER_ICD } : process.env;
    const out = execFileSync(process.execPath, ['--input-type', 'module', '-e', script], { cwd: packageDir, env, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const seen = JSON.parse(out.trim().split('\n').pop()!) as Seen;
    if (seen.adapter === null) {
      const reason = `Dawn (npm webgpu) found no adapter: navigator.gpu.requestAdapter() returned null (${swiftshader ? "with Chromium's SwiftShader Vulkan" : 'no Chromium SwiftShader Vulkan at ' + SWIFTSHADER_ICD + '; no Vulkan driver, or one without the features Dawn needs'})`;
      console.warn(`@pfm/backend-webgpu: Dawn test skipped: ${reason}`);
      context.skip(reason);
      return;
    }
    console.log(`Dawn adapter: ${JSON.stringify(seen.adapter)}${swiftshader ? " (Chromium's SwiftShader Vulkan)" : ''}`);
    // Node has no OffscreenCanvas: init() refuses with the reason (a Node with one would pass).
    if (seen.initError !== undefined) expect(seen.initError).toMatch(/^@pfm\/backend-webgpu: synchronous reads from the GPU are wrong in this browser \(dataSync\(\) threw: OffscreenCanvas is not defined;/);
    expect(seen.backend).toBe('webgpu');
    expect(seen.squares).toEqual([2.25, 4, 10.5625, 16]);
    // Σ_j ‖x_i − y_j‖: (0 + 10), (5 + 5), (√2 + √74).
    const expected = [10, 10, Math.SQRT2 + Math.sqrt(74)];
    seen.rows!.forEach((r, i) => expect(r).toBeCloseTo(expected[i]!, 4));
  });
});
