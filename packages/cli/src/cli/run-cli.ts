import { processIo, type CliIo } from './cli-io.js';
import { CliError } from './cli-error.js';
import { COMMANDS, findCommand } from './commands.js';
import { EXIT_CODES } from './exit-codes.js';
import { commandHelp, mainHelp } from './help-text.js';
import { reportError } from './report-error.js';
import { printHelpIfAsked } from './run-command.js';
import { CLI_VERSION } from './version.js';

/**
 * Runs `pfm` with the words after the program name (`['train', '--data', 'x.csv', …]`) and
 * resolves to the exit code: 0 success, 2 error (one line on stderr), 130 interrupted (SIGINT),
 * 143 stopped by SIGTERM. Commands that compute for long (train, sample, eval, logprob) run in a
 * worker thread while this thread owns the signals (see `runOffMainThread` in `cli/run-off-main-thread.ts`).
 *
 * Only the module of the command that runs is loaded, when it runs: `pfm --help`, `--version` and
 * an unknown command load neither tfjs nor any plugin, and this thread loads none of a command's
 * modules when the command runs in the worker thread.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  const entry = first === undefined ? undefined : findCommand(first);
  // `pfm <command> --help` reads the command's spec alone: no worker thread, no tfjs.
  if (entry && (rest.includes('--help') || rest.includes('-h')) && printHelpIfAsked(await entry.help(), rest, io)) return EXIT_CODES.ok;
  if (entry?.offMainThread) {
    const { runOffMainThread } = await import('./run-off-main-thread.js');
    return runOffMainThread(entry.name, rest, io);
  }
  if (first === undefined) {
    io.stderr(mainHelp(COMMANDS));
    return EXIT_CODES.error;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    const command = topic === undefined ? undefined : findCommand(topic);
    if (topic !== undefined && !command) {
      reportError(io, 'pfm', new CliError(`unknown command "${topic}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}`), false);
      return EXIT_CODES.error;
    }
    io.stdout(command ? commandHelp(await command.help()) : mainHelp(COMMANDS));
    return EXIT_CODES.ok;
  }
  if (first === '--version' || first === '-v' || first === '-V') {
    io.stdout(`${CLI_VERSION}\n`);
    return EXIT_CODES.ok;
  }
  if (!entry) {
    const message = first.startsWith('-')
      ? `unknown flag ${first} (flags come after the command: pfm <command> [flags]; see pfm --help)`
      : `unknown command "${first}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}`;
    reportError(io, 'pfm', new CliError(message), false);
    return EXIT_CODES.error;
  }

  const [command, { runCommand }] = await Promise.all([entry.load(), import('./run-command.js')]);
  return runCommand(command, rest, io);
}
