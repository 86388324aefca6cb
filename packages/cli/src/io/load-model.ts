import { modelFromContent, RegistryError, type Model, type Registry } from '@pfm/core';
import { readModelFile } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';
import { readJsonFileKind, wrongFileKindError } from './json-file-kind.js';

/**
 * Reads, validates and rebuilds the model in `path` through the registry (nothing in the file is
 * run). When the file needs an id no loaded plugin provides, the error also names the plugins
 * that wrote the file and are not loaded; a checkpoint given instead (`flag`) is an error that says so.
 */
export async function loadModelFile(path: string, registry: Registry, flag = '--model'): Promise<Model> {
  let content: Awaited<ReturnType<typeof readModelFile>>;
  try {
    content = await readModelFile(path);
  } catch (error) {
    const found = await readJsonFileKind(path);
    if (found === 'checkpoint') throw wrongFileKindError(flag, path, found, 'model file', { cause: error });
    throw error;
  }
  try {
    return modelFromContent(content, registry, path);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    const loaded = new Set(registry.plugins.map((p) => p.name));
    const missing = content.plugins.filter((p) => !loaded.has(p.name)).map((p) => `${p.name}@${p.version}`);
    const hint = missing.length > 0 ? `; the file was written with ${missing.join(', ')}, not loaded here (load it with --plugin MODULE)` : '';
    throw new CliError(`${path}: ${error.message}${hint}`, { cause: error });
  }
}
