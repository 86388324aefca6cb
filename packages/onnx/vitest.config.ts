import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.shared.js';

export default defineConfig({
  test: {
    projects: backendProjects(import.meta.dirname),
    coverage: { provider: 'v8', include: ['src/**'], exclude: ['src/**/*.test.ts', 'src/test-support/**'] },
  },
});
