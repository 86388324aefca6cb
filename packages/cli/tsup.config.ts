import { readFileSync, rmSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const define = { __PFM_CLI_VERSION__: JSON.stringify(version) };

// tsup runs the two builds below at once, so neither may clean the folder the other writes to:
// clean it here, once, before both.
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });

export default defineConfig([
  {
    // The library entry: runCli and the plugin list, for programs that embed the command line.
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    // import.meta.url (where the worker script is) in the CommonJS build too.
    shims: true,
    define,
  },
  {
    // The `pfm` executable (keeps its #!/usr/bin/env node line; tsup marks it executable), and
    // the worker thread that runs its long commands (found beside it: see run-off-main-thread).
    entry: { bin: 'src/bin.ts', 'command-worker': 'src/cli/command-worker.ts' },
    format: ['esm'],
    // Each dynamic import (a command's module, the registry, the worker's runner) stays a chunk of
    // its own, loaded when it runs: `pfm --help` must not load tfjs (see src/cli/module-loading.test.ts).
    splitting: true,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    define,
  },
]);
