import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { testWorkers } from '../../vitest.shared.js';

// One project (the smoke test drives its own backend choice); the shared setup checks for tensor leaks.
export default defineConfig({
  test: {
    name: 'bench',
    include: ['src/**/*.test.ts'],
    setupFiles: [fileURLToPath(new URL('../../vitest.setup.ts', import.meta.url))],
    env: { PFM_BACKEND: 'wasm' },
    maxWorkers: testWorkers,
    testTimeout: 180_000,
    hookTimeout: 60_000,
    server: { deps: { inline: [/@tensorflow[\\/]tfjs-core[\\/]dist[\\/](?!tf-core)/] } },
  },
});
