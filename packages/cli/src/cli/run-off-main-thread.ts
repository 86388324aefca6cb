import { Worker } from 'node:worker_threads';
import { ProgressReporter } from '../train/progress-reporter.js';
import { removeStaleTemporaries } from '../train/stale-temporaries.js';
import type { TrainingInfo } from '../train/training-channel.js';
import type { CliIo } from './cli-io.js';
import { reportError } from './report-error.js';
import { STOP_SIGNALS, stopSignalExitCode, type StopSignal } from './stop-signal.js';
import { STOP_FLAG_VALUES, type CommandThreadInput, type CommandThreadMessage, type MainThreadMessage } from './thread-messages.js';

/**
 * How long (milliseconds) a training step may go on after SIGINT/SIGTERM before the main thread
 * stops the training thread and keeps the last completed step: a few seconds, so that a
 * scheduler's grace period (commonly 10 s or more before SIGKILL) is never reached.
 */
export const SIGNAL_GRACE_MS = 3000;

/** How long the main thread waits for a finished command thread to exit on its own. */
const EXIT_WAIT_MS = 500;

/** The worker script, built beside this module (`dist/command-worker.js`). */
function commandWorkerUrl(): URL {
  return new URL('./command-worker.js', import.meta.url);
}

/**
 * Runs `pfm <command>` in a worker thread and resolves to its exit code, while this thread owns
 * SIGINT/SIGTERM, the progress line and every checkpoint file.
 *
 * Why a worker thread and not a child process: the command's output, the progress calls and the
 * checkpoints cross as messages (a checkpoint's buffer is transferred, not copied), the stop flag
 * is one `SharedArrayBuffer` the training loop reads after every step with no message to wait
 * for, and the thread inherits this process's environment, working directory and module
 * resolution, so --backend, --threads and --plugin behave exactly as on the main thread.
 *
 * On a signal: outside a training loop (reading data, sampling, evaluating) the thread is stopped
 * at once, the temporaries of the command's outputs are removed (a partial output is never left)
 * and the exit code is 130 (SIGINT) or 143 (SIGTERM). During a training loop the loop is asked to
 * stop after its step and to write a checkpoint; if the step does not end within
 * {@link SIGNAL_GRACE_MS}, the thread is stopped and the snapshot of the last completed step (sent
 * after each step when steps are long) is written instead. A second signal quits at once.
 */
export async function runOffMainThread(command: string, argv: readonly string[], io: CliIo): Promise<number> {
  const stopFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(stopFlag);
  const input: CommandThreadInput = { command, argv: [...argv], stderrIsTTY: io.stderrIsTTY, columns: io.columns, stopFlag };
  const progress = new ProgressReporter(io, false);
  const verbose = argv.includes('--verbose');
  const worker = new Worker(commandWorkerUrl(), { workerData: input });
  const post = (message: MainThreadMessage) => worker.postMessage(message);

  let outputs: readonly string[] = [];
  let training: TrainingInfo | undefined;
  let trainingStartedAt = 0;
  let trainingEnded = false;
  let lastStep = 0;
  let snapshot: { step: number; bytes: Uint8Array } | undefined;
  let lastWrittenStep = -1;
  let writes: Promise<void> = Promise.resolve();
  let signal: StopSignal | undefined;
  let stepAtSignal = 0;
  let grace: ReturnType<typeof setTimeout> | undefined;
  let doneCode: number | undefined;
  let settled = false;
  let stopping = false;
  let settle: (code: number) => void = () => undefined;
  const result = new Promise<number>((resolve) => {
    settle = (code) => {
      if (settled) return;
      settled = true;
      resolve(code);
    };
  });

  const stopGrace = () => {
    if (grace !== undefined) clearTimeout(grace);
    grace = undefined;
  };

  const terminate = async () => {
    worker.removeAllListeners('message');
    await Promise.race([worker.terminate(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    worker.unref();
  };

  // The writer comes from @pfm/core/files (Node's file system only; @pfm/core/node would bring
  // tfjs, which this thread needs for nothing else), loaded when a checkpoint may have to be
  // written here (a signal during training, snapshots of long steps), not for every run.
  let writer: Promise<(path: string, data: Uint8Array) => Promise<void>> | undefined;
  const fileWriter = () => (writer ??= import('@pfm/core/files').then((m) => m.writeFileAtomic));
  const prepareWriter = () => void fileWriter().catch(() => undefined);

  const writeCheckpoint = (path: string, step: number, bytes: Uint8Array): Promise<void> => {
    const write = writes.then(async () => {
      const writeFileAtomic = await fileWriter();
      await writeFileAtomic(path, bytes);
      lastWrittenStep = Math.max(lastWrittenStep, step);
    });
    writes = write.catch(() => undefined);
    return write;
  };

  // The thread did not stop in time (or there is no loop to stop): stop it, keep what is complete.
  const stopNow = async (by: StopSignal) => {
    stopping = true;
    stopGrace();
    await terminate();
    await writes;
    const code = stopSignalExitCode(by);
    if (training && !trainingEnded) {
      const info = training;
      const seconds = Number(((performance.now() - trainingStartedAt) / 1000).toFixed(4));
      let kept: number | undefined = lastWrittenStep >= 0 ? lastWrittenStep : undefined;
      if (snapshot && snapshot.step > lastWrittenStep) {
        try {
          await writeCheckpoint(info.checkpointPath, snapshot.step, snapshot.bytes);
          kept = snapshot.step;
        } catch (error) {
          reportError(io, `pfm ${command}`, error, verbose);
        }
      }
      await removeStaleTemporaries(outputs);
      const abandoned = `the step after it did not end within ${SIGNAL_GRACE_MS / 1000} s of ${by} and was abandoned`;
      const where = `run the same command with --resume ${info.checkpointPath} to continue`;
      progress.message(
        kept === undefined
          ? `interrupted at step ${lastStep} of ${info.steps}: ${abandoned}; no step completed since the run began, so no checkpoint was written`
          : kept === lastStep
            ? `interrupted at step ${lastStep} of ${info.steps}: ${abandoned}; checkpoint of step ${kept} written to ${info.checkpointPath}: ${where}`
            : `interrupted at step ${lastStep} of ${info.steps}: ${abandoned}; the last checkpoint (step ${kept}) is ${info.checkpointPath}: ${where}`,
        true,
      );
      io.stdout(
        `${JSON.stringify({ status: 'interrupted', method: info.method, steps: kept ?? lastStep, seconds, ...(kept !== undefined ? { checkpoint: info.checkpointPath } : {}), backend: info.backend })}\n`,
      );
    } else {
      const removed = await removeStaleTemporaries(outputs);
      progress.message(`${by}: stopped${removed.length > 0 ? `; removed the partial output(s) ${removed.join(', ')}` : ''}`, true);
    }
    settle(code);
  };

  const onSignal = (name: NodeJS.Signals) => {
    const by = name as StopSignal;
    if (signal !== undefined) {
      progress.message(`${by} again: quitting without a checkpoint`, true);
      process.exit(stopSignalExitCode(by));
    }
    signal = by;
    Atomics.store(flag, 0, STOP_FLAG_VALUES[by]);
    post({ type: 'stop', signal: by });
    if (training && !trainingEnded) {
      prepareWriter();
      progress.message(`${by}: stopping after this step and writing a checkpoint (press Ctrl-C again to quit at once)`, true);
      stepAtSignal = lastStep;
      grace = setTimeout(() => void stopNow(by), SIGNAL_GRACE_MS);
    } else {
      void stopNow(by);
    }
  };

  const onMessage = (message: CommandThreadMessage) => {
    switch (message.type) {
      case 'output':
        if (message.stream === 'stdout') io.stdout(message.text);
        else io.stderr(message.text);
        break;
      case 'outputs':
        outputs = message.paths;
        break;
      case 'progress-message':
        progress.message(message.text, message.always);
        break;
      case 'progress-update':
        lastStep = message.progress.step;
        // The step under way when the signal came has ended: the loop now answers the flag.
        if (signal !== undefined && lastStep > stepAtSignal) stopGrace();
        if (message.draw) progress.update(message.progress);
        break;
      case 'progress-clear':
        progress.clear();
        break;
      case 'training-begin':
        training = message.info;
        trainingStartedAt = performance.now();
        lastStep = message.info.startStep;
        break;
      case 'training-end':
        trainingEnded = true;
        stopGrace();
        snapshot = undefined;
        break;
      case 'snapshot':
        prepareWriter();
        snapshot = { step: message.step, bytes: message.bytes };
        break;
      case 'write-checkpoint': {
        const bytes = message.bytes ?? (snapshot?.step === message.step ? snapshot.bytes : undefined);
        const answer = (error?: string) => post({ type: 'written', id: message.id, ...(error !== undefined ? { error } : {}) });
        if (bytes === undefined) {
          answer(`no snapshot of step ${message.step} to write to ${message.path}`);
          break;
        }
        writeCheckpoint(message.path, message.step, bytes).then(
          () => answer(),
          (error: unknown) => answer(error instanceof Error ? error.message : String(error)),
        );
        break;
      }
      case 'done':
        doneCode = message.code;
        // Let the thread end by itself (its output flushed); stop it if it lingers.
        setTimeout(() => {
          if (!stopping) void terminate().then(() => settle(message.code));
        }, EXIT_WAIT_MS).unref();
        break;
    }
  };

  worker.on('message', onMessage);
  worker.on('error', (error) => {
    // An exception nothing caught in the thread: a crash, as Node's own exit code 1 says.
    reportError(io, `pfm ${command}`, error, verbose);
    settle(1);
  });
  worker.on('exit', (code) => {
    if (!stopping) settle(doneCode ?? (code === 0 ? 1 : code));
  });
  for (const name of STOP_SIGNALS) process.on(name, onSignal);
  try {
    return await result;
  } finally {
    stopGrace();
    for (const name of STOP_SIGNALS) process.off(name, onSignal);
  }
}
