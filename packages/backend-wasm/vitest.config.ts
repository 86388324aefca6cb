import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.shared.js';

export default defineConfig({
  test: {
    // A failed wasm start breaks wasm for the whole process: that file runs on its own.
    projects: backendProjects(import.meta.dirname, { isolated: ['src/backend/wasm-start-failure.test.ts'] }),
    coverage: { provider: 'v8', include: ['src/**'], exclude: ['src/**/*.test.ts'] },
  },
});
