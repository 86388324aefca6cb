import { RegistryError, useBackend, type Registry } from '@pfm/core';
import { CliError } from './cli-error.js';

/** Starts the registry's backend `id` (`wasm`, `cpu`, or one a plugin adds); returns its name. */
export async function startBackend(registry: Registry, id: string): Promise<string> {
  let provider;
  try {
    provider = registry.create('backend', id);
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
