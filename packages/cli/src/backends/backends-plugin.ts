// The tfjs backends the command line can run on, as 'backend' registry entries, so --backend
// takes any id a plugin registers and an unknown id lists the known ones. Each backend package
// is imported only when its backend starts: a run pays for loading one backend, `pfm list` for none.
import { definePlugin, type BackendEntry, type BackendProvider, type Plugin } from '@pfm/core';
import { z } from 'zod';
import { CLI_VERSION } from '../cli/version.js';

const noOptions = z.object({}).strict();

/** Options of the wasm backend: its threads (`'auto'` or 1–64) and the work per kernel that `'auto'` weighs. */
const wasmOptions = z
  .object({
    threads: z.union([z.literal('auto'), z.number().int().min(1).max(64)]).default('auto'),
    work: z.enum(['small', 'large']).optional(),
  })
  .strict();

/** A provider that imports its backend package when started. */
function lazyProvider(name: string, load: () => Promise<BackendProvider>): BackendProvider {
  return {
    name,
    async init() {
      await (await load()).init();
    },
  };
}

const wasmEntry: BackendEntry = {
  kind: 'backend',
  id: 'wasm',
  description: 'WebAssembly kernels (XNNPACK, SIMD where available) with the @pfm/backend-wasm corrections; the default',
  schema: wasmOptions,
  create: (options: z.output<typeof wasmOptions>) =>
    lazyProvider('wasm', async () => (await import('@pfm/backend-wasm')).wasm({ threads: options.threads, ...(options.work === undefined ? {} : { work: options.work }) })),
};

const cpuEntry: BackendEntry = {
  kind: 'backend',
  id: 'cpu',
  description: 'Plain JavaScript kernels: slow, the reference every other backend is tested against',
  schema: noOptions,
  create: () => lazyProvider('cpu', async () => (await import('@pfm/backend-cpu')).cpu()),
};

/** The backends of the command line: `wasm` (default) and `cpu`. */
export const backendsPlugin: Plugin = definePlugin({
  name: '@pfm/cli',
  version: CLI_VERSION,
  entries: [wasmEntry, cpuEntry],
});
