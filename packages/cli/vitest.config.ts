import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The shared setup selects the cpu backend for in-process reference computations and fails any
// test that leaks tensors. The command line itself is run as a subprocess (node dist/bin.js) with
// an explicit --backend, so one vitest project is enough: running the suite once per backend
// would only run the same subprocesses twice.
const sharedSetup = fileURLToPath(new URL('../../vitest.setup.ts', import.meta.url));

export default defineConfig({
  test: {
    name: 'cli',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts'],
    globalSetup: ['./src/test-support/global-setup.ts'],
    setupFiles: [sharedSetup],
    env: { PFM_BACKEND: 'cpu' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The tests wait on subprocesses most of the time: two files at once, and the files of a
    // worker share its module graph (tfjs and the backends load once per worker, not per file;
    // the tests keep no module state).
    maxWorkers: 2,
    isolate: false,
    server: {
      deps: {
        inline: [/@tensorflow[\\/]tfjs-core[\\/]dist[\\/](?!tf-core)/],
      },
    },
  },
});
