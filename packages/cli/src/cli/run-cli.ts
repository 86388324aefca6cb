import { processIo, type CliIo } from './cli-io.js';
import { CliError } from './cli-error.js';
import { COMMANDS } from './commands.js';
import { BACKEND_FLAG, COMMON_FLAGS, DEFAULT_BACKEND } from './common-flags.js';
import { EXIT_CODES } from './exit-codes.js';
import { booleanFlag, listFlag, stringFlag } from './flag-values.js';
import { commandHelp, mainHelp } from './help-text.js';
import { parseCommandLine } from './parse-command-line.js';
import { reportError } from './report-error.js';
import { startBackend } from './start-backend.js';
import { CLI_VERSION } from './version.js';
import { buildRegistry } from '../registry/build-registry.js';

/**
 * Runs `pfm` with the words after the program name (`['train', '--data', 'x.csv', …]`) and
 * resolves to the exit code: 0 success, 2 error (one line on stderr), 130 interrupted.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(mainHelp(COMMANDS));
    return EXIT_CODES.error;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    const command = topic === undefined ? undefined : COMMANDS.find((c) => c.name === topic);
    if (topic !== undefined && !command) {
      reportError(io, 'pfm', new CliError(`unknown command "${topic}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}`), false);
      return EXIT_CODES.error;
    }
    io.stdout(command ? commandHelp(command) : mainHelp(COMMANDS));
    return EXIT_CODES.ok;
  }
  if (first === '--version' || first === '-v' || first === '-V') {
    io.stdout(`${CLI_VERSION}\n`);
    return EXIT_CODES.ok;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    const message = first.startsWith('-')
      ? `unknown flag ${first} (flags come after the command: pfm <command> [flags]; see pfm --help)`
      : `unknown command "${first}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}`;
    reportError(io, 'pfm', new CliError(message), false);
    return EXIT_CODES.error;
  }

  const where = `pfm ${command.name}`;
  let verbose = rest.includes('--verbose');
  try {
    const flags = { ...command.flags, ...(command.compute ? BACKEND_FLAG : {}), ...COMMON_FLAGS };
    const { values, positionals } = parseCommandLine(command, flags, [...rest]);
    verbose = booleanFlag(values, 'verbose');
    if (booleanFlag(values, 'help')) {
      io.stdout(commandHelp(command));
      return EXIT_CODES.ok;
    }
    const registry = await buildRegistry(listFlag(values, 'plugin'));
    const backend = command.compute ? await startBackend(registry, stringFlag(values, 'backend') ?? DEFAULT_BACKEND, values) : undefined;
    return await command.run({ values, positionals, registry, backend, io, verbose });
  } catch (error) {
    reportError(io, where, error, verbose);
    return EXIT_CODES.error;
  }
}
