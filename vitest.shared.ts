// One vitest project per backend: every package's suite runs on cpu and on wasm.
// PFM_TEST_BACKENDS=cpu (or wasm) narrows the matrix for a quick local run.
import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const setupFile = fileURLToPath(new URL('./vitest.setup.ts', import.meta.url));

export function backendProjects(root: string, extraSetupFiles: string[] = []): TestProjectInlineConfiguration[] {
  const wanted = (process.env.PFM_TEST_BACKENDS ?? 'cpu,wasm').split(',').map((s) => s.trim());
  return ['cpu', 'wasm']
    .filter((b) => wanted.includes(b))
    .map((backend) => ({
      root,
      test: {
        name: backend,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        setupFiles: [...extraSetupFiles, setupFile],
        env: { PFM_BACKEND: backend },
        testTimeout: 60_000,
        hookTimeout: 60_000,
        server: {
          deps: {
            // tfjs-core's ESM internals use extensionless imports: let Vite resolve them.
            inline: [/@tensorflow[\\/]tfjs-core[\\/]dist[\\/](?!tf-core)/],
          },
        },
      },
    }));
}
