import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { main: 'src/main.ts', speed: 'src/speed.ts', 'speed-worker': 'src/speed-worker.ts', 'coupling-widths': 'src/coupling-widths.ts', 'matrix-worker': 'src/matrix/matrix-worker.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
