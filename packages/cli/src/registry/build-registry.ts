import { createRegistry, type Registry } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';
import { cliPlugins } from '../plugins.js';
import { loadUserPlugin } from './load-user-plugin.js';

/** A registry with the built-in plugins, then each --plugin module in order (duplicate ids are errors). */
export async function buildRegistry(pluginSpecifiers: readonly string[], cwd: string = process.cwd()): Promise<Registry> {
  const registry = createRegistry({ plugins: cliPlugins });
  for (const specifier of pluginSpecifiers) {
    const plugin = await loadUserPlugin(specifier, cwd);
    try {
      registry.use(plugin);
    } catch (error) {
      throw new CliError(`--plugin ${specifier}: ${(error as Error).message}`, { cause: error });
    }
  }
  return registry;
}
