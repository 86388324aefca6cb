// The worker thread of `runOffMainThread`: runs one command as `runCommand` does on the main
// thread (flags, registry with --plugin modules, backend with --backend and --threads), its
// output, progress and checkpoints handed to the main thread as messages.
import { parentPort, workerData } from 'node:worker_threads';
import { mainThreadChannel } from '../train/main-thread-channel.js';
import { remoteProgress } from '../train/remote-progress.js';
import type { CliIo } from './cli-io.js';
import type { CommandHost } from './command-host.js';
import { findCommand } from './commands.js';
import { EXIT_CODES } from './exit-codes.js';
import { reportError } from './report-error.js';
import { runCommand } from './run-command.js';
import type { CommandThreadInput, CommandThreadMessage } from './thread-messages.js';

const port = parentPort;
if (port === null) throw new Error('command-worker runs as a worker thread of runOffMainThread');
const input = workerData as CommandThreadInput;
const post = (message: CommandThreadMessage) => port.postMessage(message);
const io: CliIo = {
  stdout: (text) => post({ type: 'output', stream: 'stdout', text }),
  stderr: (text) => post({ type: 'output', stream: 'stderr', text }),
  stderrIsTTY: input.stderrIsTTY,
  columns: input.columns,
};
const channel = mainThreadChannel(port, new Int32Array(input.stopFlag));
const host: CommandHost = {
  outputs: (paths) => post({ type: 'outputs', paths: [...paths] }),
  progress: (quiet) => remoteProgress(port, quiet),
  trainingChannel: () => channel,
};

let code: number;
// Only the module of the command that runs is loaded.
const entry = findCommand(input.command);
if (entry === undefined) {
  reportError(io, 'pfm', new Error(`unknown command "${input.command}"`), false);
  code = EXIT_CODES.error;
} else {
  code = await runCommand(await entry.load(), input.argv, io, host);
}
post({ type: 'done', code });
// Nothing more comes from the main thread: let the thread end once its work is done.
port.unref();
