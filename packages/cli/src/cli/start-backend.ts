import { RegistryError, useBackend, type Registry } from '@pfm/core';
import { CliError } from './cli-error.js';

type Values = Record<string, string | boolean | string[] | undefined>;

/** The environment variable that sets `--threads` when the flag is absent. */
export const THREADS_ENV = 'PFM_THREADS';

/** Threads of the backend: a count, or `'auto'` (decided by the wasm backend from the load and the work). */
export type ThreadsChoice = number | 'auto';

/**
 * `--threads N|auto`, else `PFM_THREADS`, else `'auto'`; `where` says which one an error names.
 * N is an integer from 1 to 64.
 */
export function threadsChoice(flag: string | undefined, env: string | undefined = process.env[THREADS_ENV]): { threads: ThreadsChoice; where?: string } {
  const [text, where] = flag !== undefined ? [flag, '--threads'] : env !== undefined && env.trim() !== '' ? [env.trim(), THREADS_ENV] : [undefined, undefined];
  if (text === undefined || where === undefined) return { threads: 'auto' };
  if (text === 'auto') return { threads: 'auto', where };
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(Number.isInteger(n) && n >= 1 && n <= 64)) {
    throw new CliError(`${where}: expected "auto" or an integer from 1 to 64, got ${JSON.stringify(text)}`);
  }
  return { threads: n, where };
}

/**
 * The work per kernel a command's flags announce, for `--threads auto`: `large` for image data
 * (`--data mnist`, a folder of PNGs or a .npy file, `--grid`, `--metric fld|kid`), `small` for points
 * from a .csv or .json file, unknown otherwise.
 */
export function workOfFlags(values: Values): 'small' | 'large' | undefined {
  const data = typeof values.data === 'string' ? values.data : undefined;
  const metric = typeof values.metric === 'string' ? values.metric : undefined;
  if (data === 'mnist' || values.grid !== undefined || metric === 'fld' || metric === 'kid') return 'large';
  if (data === undefined) return undefined;
  if (/\.(csv|json)$/i.test(data)) return 'small';
  return 'large';
}

/**
 * Starts the registry's backend `id` (`wasm`, `cpu`, or one a plugin adds) with the threads of
 * `--threads` / `PFM_THREADS` (wasm only; the cpu backend runs on one thread); returns its name.
 */
export async function startBackend(registry: Registry, id: string, values: Values = {}): Promise<string> {
  const { threads, where } = threadsChoice(typeof values.threads === 'string' ? values.threads : undefined);
  const work = workOfFlags(values);
  let provider;
  try {
    if (id === 'wasm') {
      provider = registry.create('backend', { id, options: { threads, ...(work === undefined ? {} : { work }) } });
    } else {
      // Other backends take no thread count: one given on the command line is refused, the environment's is ignored.
      if (where === '--threads' && threads !== 'auto' && threads !== 1) {
        throw new CliError(`--threads ${threads}: the ${id} backend runs on one thread; threads are for --backend wasm`);
      }
      provider = registry.create('backend', id);
    }
  } catch (error) {
    if (error instanceof RegistryError) throw new CliError(`--backend: ${error.message}`, { cause: error });
    throw error;
  }
  try {
    return await useBackend(provider);
  } catch (error) {
    throw new CliError(`--backend ${id}: the backend did not start: ${(error as Error).message}`, { cause: error });
  }
}
