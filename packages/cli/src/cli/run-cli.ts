import { processIo, type CliIo } from './cli-io.js';
import { CliError } from './cli-error.js';
import { EXIT_CODES } from './exit-codes.js';
import { commandHelp, mainHelp } from './help-text.js';
import { reportError } from './report-error.js';
import { OFF_MAIN_THREAD_COMMANDS } from './off-main-thread-commands.js';
import { runOffMainThread } from './run-off-main-thread.js';
import { CLI_VERSION } from './version.js';

/**
 * Runs `pfm` with the words after the program name (`['train', '--data', 'x.csv', …]`) and
 * resolves to the exit code: 0 success, 2 error (one line on stderr), 130 interrupted (SIGINT),
 * 143 stopped by SIGTERM. Commands that compute for long (train, sample, eval, logprob) run in a
 * worker thread while this thread owns the signals (see `runOffMainThread` in `cli/run-off-main-thread.ts`).
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first !== undefined && OFF_MAIN_THREAD_COMMANDS.includes(first)) return runOffMainThread(first, rest, io);
  // Loaded here, not above: the commands that run off the main thread need none of it in this one.
  const { COMMANDS } = await import('./commands.js');
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

  const { runCommand } = await import('./run-command.js');
  return runCommand(command, rest, io);
}
