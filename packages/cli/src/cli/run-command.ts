import type { CliIo } from './cli-io.js';
import type { CommandHost } from './command-host.js';
import type { CommandHelpSpec, CommandSpec } from './command-spec.js';
import { BACKEND_FLAG, COMMON_FLAGS, DEFAULT_BACKEND } from './common-flags.js';
import { EXIT_CODES } from './exit-codes.js';
import { booleanFlag, listFlag, stringFlag } from './flag-values.js';
import { commandHelp } from './help-text.js';
import { parseCommandLine } from './parse-command-line.js';
import { reportError } from './report-error.js';

/** The flags `command` takes: its own, the backend's when it computes, and the common ones. */
export function commandFlags(command: CommandHelpSpec): CommandSpec['flags'] {
  return { ...command.flags, ...(command.compute ? BACKEND_FLAG : {}), ...COMMON_FLAGS };
}

/**
 * Prints the help of `spec` when the words after the command's name ask for it (`--help` or `-h`
 * read as the flag, not as a value) and returns true; false when they do not, or when they do not
 * parse (running the command then reports the error as before). Needs only the spec, not the
 * command's module.
 */
export function printHelpIfAsked(spec: CommandHelpSpec, argv: readonly string[], io: CliIo): boolean {
  if (!argv.includes('--help') && !argv.includes('-h')) return false;
  let asked: boolean;
  try {
    asked = booleanFlag(parseCommandLine(spec, commandFlags(spec), [...argv]).values, 'help');
  } catch {
    return false;
  }
  if (asked) io.stdout(commandHelp(spec));
  return asked;
}

/**
 * Runs one command in this thread with the words after its name: parses the flags, builds the
 * registry (with --plugin modules) and starts the backend (--backend, --threads), then runs it.
 * Errors become one line on stderr and exit code 2. `host` is given off the main thread.
 * The registry's plugins and the backend are loaded after the flags are read, so `--help` and a
 * bad flag load none of them.
 */
export async function runCommand(command: CommandSpec, argv: readonly string[], io: CliIo, host?: CommandHost): Promise<number> {
  const where = `pfm ${command.name}`;
  let verbose = argv.includes('--verbose');
  try {
    const { values, positionals } = parseCommandLine(command, commandFlags(command), [...argv]);
    verbose = booleanFlag(values, 'verbose');
    if (booleanFlag(values, 'help')) {
      io.stdout(commandHelp(command));
      return EXIT_CODES.ok;
    }
    host?.outputs(command.outputs?.(values) ?? []);
    const { buildRegistry } = await import('../registry/build-registry.js');
    const registry = await buildRegistry(listFlag(values, 'plugin'));
    const backend = command.compute
      ? await (await import('./start-backend.js')).startBackend(registry, stringFlag(values, 'backend') ?? DEFAULT_BACKEND, values)
      : undefined;
    return await command.run({ values, positionals, registry, backend, io, verbose, ...(host ? { host } : {}) });
  } catch (error) {
    reportError(io, where, error, verbose);
    return EXIT_CODES.error;
  }
}
