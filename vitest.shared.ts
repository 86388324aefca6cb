// One vitest project per backend: every package's suite runs on cpu and on wasm.
// PFM_TEST_BACKENDS=cpu (or wasm) narrows the matrix for a quick local run.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const setupFile = fileURLToPath(new URL('./vitest.setup.ts', import.meta.url));

/**
 * Test files run two at a time at least. Vitest's default (one worker fewer than the cores) runs
 * them one after another on a 2-core machine and leaves a core idle; the files are independent
 * (each checks its own tensors) and single-threaded, so two workers halve the wall time there.
 */
export const testWorkers = Math.max(2, availableParallelism() - 1);

export interface BackendProjectOptions {
  /** Setup files run before the shared one (which selects the backend and checks leaks). */
  setupFiles?: string[];
  alias?: Record<string, string>;
  /** Test files that mock modules and so need a fresh module graph of their own. */
  isolated?: string[];
}

export function backendProjects(root: string, options: BackendProjectOptions = {}): TestProjectInlineConfiguration[] {
  const wanted = (process.env.PFM_TEST_BACKENDS ?? 'cpu,wasm').split(',').map((s) => s.trim());
  const isolated = options.isolated ?? [];
  const project = (backend: string, name: string, include: string[], isolate: boolean, exclude: string[] = []) => ({
    root,
    resolve: { alias: options.alias ?? {} },
    test: {
      name,
      include,
      exclude: ['**/node_modules/**', '**/dist/**', ...exclude],
      setupFiles: [...(options.setupFiles ?? []), setupFile],
      env: { PFM_BACKEND: backend },
      // Test files share one module graph per worker: tfjs and the wasm module load once per
      // worker instead of once per file (each test still checks it leaks no tensor).
      isolate,
      maxWorkers: testWorkers,
      testTimeout: 60_000,
      hookTimeout: 60_000,
      server: {
        deps: {
          // tfjs-core's ESM internals use extensionless imports: let Vite resolve them.
          inline: [/@tensorflow[\\/]tfjs-core[\\/]dist[\\/](?!tf-core)/],
        },
      },
    },
  });
  return ['cpu', 'wasm']
    .filter((b) => wanted.includes(b))
    .flatMap((backend) => [
      project(backend, backend, ['src/**/*.test.ts', 'test/**/*.test.ts'], false, isolated),
      ...(isolated.length > 0 ? [project(backend, `${backend}-isolated`, isolated, true)] : []),
    ]);
}
