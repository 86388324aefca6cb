// One project, not the cpu/wasm matrix: Node.js has no WebGPU, so the tests under src/ check what
// Node can see (the refusals, the import's side effects, the corrected kernels' bookkeeping), and
// test/webgpu-chromium.test.ts runs the conformance suite on WebGPU in headless Chromium. The
// shared setup file still runs, so the tensor-leak check applies; it starts the cpu backend.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const setupFile = fileURLToPath(new URL('../../vitest.setup.ts', import.meta.url));

export default defineConfig({
  test: {
    projects: [
      {
        root: import.meta.dirname,
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          setupFiles: [setupFile],
          env: { PFM_BACKEND: 'cpu' },
          testTimeout: 60_000,
          hookTimeout: 240_000,
          server: { deps: { inline: [/@tensorflow[\\/]tfjs-core[\\/]dist[\\/](?!tf-core)/] } },
        },
      },
    ],
    coverage: { provider: 'v8', include: ['src/**'], exclude: ['src/**/*.test.ts'] },
  },
});
