import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { backendProjects } from '../../vitest.shared.js';

const empty = fileURLToPath(new URL('./test/empty-module.ts', import.meta.url));

export default defineConfig({
  test: {
    // Gradients and chained ops come from the built bundle (turbo builds core before its tests);
    // the source's own imports of tfjs-core's registration modules become no-ops.
    projects: backendProjects(import.meta.dirname, {
      setupFiles: ['./test/register-from-dist.ts'],
      alias: {
        '@tensorflow/tfjs-core/dist/register_all_gradients': empty,
        '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops': empty,
      },
      // It mocks node:fs/promises.
      isolated: ['src/io/write-file-atomic.test.ts'],
    }),
    coverage: { provider: 'v8', include: ['src/**'], exclude: ['src/**/*.test.ts'] },
  },
});
