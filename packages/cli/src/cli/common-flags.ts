import type { FlagSpec } from './command-spec.js';

/** Flags every command takes. */
export const COMMON_FLAGS: Record<string, FlagSpec> = {
  plugin: {
    type: 'string',
    multiple: true,
    value: 'MODULE',
    description: 'load a plugin (an ES module exporting one, default or named "plugin"); repeatable',
  },
  verbose: { type: 'boolean', description: 'print stack traces with errors' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** The flag of commands that compute with tensors. */
export const BACKEND_FLAG: Record<string, FlagSpec> = {
  backend: { type: 'string', value: 'ID', description: 'tfjs backend: a "backend" id of the registry, wasm (default) or cpu' },
  threads: {
    type: 'string',
    value: 'N|auto',
    description: 'threads of the wasm backend (default: $PFM_THREADS, else auto: one thread on a busy machine or small data, else the idle cores)',
  },
};

/** The backend used when --backend is not given. */
export const DEFAULT_BACKEND = 'wasm';
