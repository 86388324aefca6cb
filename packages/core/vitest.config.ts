import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.shared.js';

export default defineConfig({
  test: {
    // Core's own tests import modules one by one: register gradients and chained ops first.
    projects: backendProjects(import.meta.dirname, ['./src/tfjs/setup.ts']),
    coverage: { provider: 'v8', include: ['src/**'], exclude: ['src/**/*.test.ts'] },
  },
});
