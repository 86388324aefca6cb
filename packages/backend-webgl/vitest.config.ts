// One project, not the cpu/wasm matrix: WebGL does not exist in Node.js, so the tests only check
// what Node can see (the refusal and the import's side effects). The shared setup file still
// runs, so the tensor-leak check applies; it starts the cpu backend as the active one.
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
          include: ['src/**/*.test.ts'],
          setupFiles: [setupFile],
          env: { PFM_BACKEND: 'cpu' },
          testTimeout: 60_000,
          server: { deps: { inline: [/@tensorflow[\\/]tfjs-core[\\/]dist[\\/](?!tf-core)/] } },
        },
      },
    ],
    coverage: { provider: 'v8', include: ['src/**'], exclude: ['src/**/*.test.ts'] },
  },
});
