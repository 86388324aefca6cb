import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.shared.js';

export default defineConfig({
  test: {
    // Importing @pfm/core registers tfjs's gradients; nothing else to set up.
    projects: backendProjects(import.meta.dirname),
    coverage: { provider: 'v8', include: ['src/**'], exclude: ['src/**/*.test.ts'] },
  },
});
