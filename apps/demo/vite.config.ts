import { defineConfig } from 'vite';
import { mnistSubsetPlugin } from './build/mnist-subset-plugin.js';

export default defineConfig({
  // Relative asset URLs: the build works from any folder of a static server.
  base: './',
  plugins: [mnistSubsetPlugin()],
  worker: { format: 'es' },
  // The dev server pre-bundles what the worker imports too, so it does not discover new
  // dependencies (and reload the page) in the middle of the first training run.
  optimizeDeps: { entries: ['index.html', 'src/worker/train-worker.ts'] },
  build: {
    target: 'es2022',
    // tfjs and zod make a large worker bundle; it is loaded once.
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod 4 ships comments Rollup cannot place (harmless; the comment is dropped).
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('zod')) return;
        warn(warning);
      },
    },
  },
  server: { port: 5173 },
  preview: { port: 4173 },
});
