// One project: the end-to-end test drives the built page (dist/, made by `vite build` in the
// test script) in headless Chromium. The shared setup file (cpu backend, tensor-leak check)
// applies to the part that loads the downloaded model file in Node.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const setupFile = fileURLToPath(new URL('../../vitest.setup.ts', import.meta.url));

export default defineConfig({
  test: {
    projects: [
      {
        root: import.meta.dirname,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          setupFiles: [setupFile],
          env: { PFM_BACKEND: 'cpu' },
          testTimeout: 300_000,
          hookTimeout: 120_000,
          server: { deps: { inline: [/@tensorflow[\\/]tfjs-core[\\/]dist[\\/](?!tf-core)/] } },
        },
      },
    ],
  },
});
