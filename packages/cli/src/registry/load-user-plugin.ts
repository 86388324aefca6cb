// --plugin MODULE: the only way the command line runs code that is not its own.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { definePlugin, type Plugin } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';

function isPathLike(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier) || /^[A-Za-z]:[\\/]/.test(specifier) || specifier.startsWith('file:');
}

/** Where `import()` finds the module: a file URL for paths (relative to `cwd`), else the package as resolved from `cwd`. */
function moduleUrl(specifier: string, cwd: string): string {
  if (specifier.startsWith('file:')) return specifier;
  if (isPathLike(specifier)) {
    const file = resolve(cwd, specifier);
    if (!existsSync(file)) throw new CliError(`--plugin ${specifier}: no such file (looked for ${file})`);
    return pathToFileURL(file).href;
  }
  try {
    return pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(specifier)).href;
  } catch {
    // Not resolvable with require conditions from the working directory (e.g. an import-only
    // package, or one installed next to pfm itself): let import() resolve the bare name.
    return specifier;
  }
}

function looksLikePlugin(value: unknown): value is Plugin {
  return typeof value === 'object' && value !== null && Array.isArray((value as Plugin).entries);
}

/**
 * Imports a user's plugin module and returns its plugin: the default export, or a named export
 * `plugin` (also a CommonJS `module.exports` / `exports.plugin`). Paths are resolved against
 * `cwd`; bare names as packages installed where pfm runs. Errors are {@link CliError}s naming it.
 */
export async function loadUserPlugin(specifier: string, cwd: string = process.cwd()): Promise<Plugin> {
  const url = moduleUrl(specifier, cwd);
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CliError(`--plugin ${specifier}: cannot load the module: ${reason}`, { cause: error });
  }
  const fromDefault = namespace.default as Record<string, unknown> | undefined;
  const candidate = [fromDefault, namespace.plugin, fromDefault?.plugin].find(looksLikePlugin);
  if (!candidate) {
    throw new CliError(
      `--plugin ${specifier}: the module exports no plugin (expected a default export or an export named "plugin" with { name, version, entries })`,
    );
  }
  try {
    return definePlugin(candidate);
  } catch (error) {
    throw new CliError(`--plugin ${specifier}: ${(error as Error).message}`, { cause: error });
  }
}
