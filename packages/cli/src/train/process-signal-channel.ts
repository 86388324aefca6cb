import { writeFileAtomic } from '@pfm/core/node';
import { STOP_SIGNALS, stopSignalExitCode, type StopSignal } from '../cli/stop-signal.js';
import type { ProgressSink } from './progress-sink.js';
import type { TrainingChannel } from './training-channel.js';

/**
 * The channel of a run in the thread that owns the process's signals (a program that calls
 * {@link runTraining} itself): SIGINT/SIGTERM handlers are installed for the run's duration, the
 * first signal stops the loop after its step, a second one exits at once (130 or 143). The
 * handlers run only when the loop yields, between steps; `pfm train` runs the loop off the main
 * thread instead, so that a signal is heard during a long step too.
 */
export function processSignalChannel(progress: ProgressSink): TrainingChannel {
  let requested: StopSignal | undefined;
  let stop: ((signal: StopSignal) => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const name = signal as StopSignal;
    if (requested !== undefined) {
      progress.message(`${name} again: quitting without a checkpoint`, true);
      process.exit(stopSignalExitCode(name));
    }
    requested = name;
    progress.message(`${name}: stopping after this step and writing a checkpoint (press Ctrl-C again to quit at once)`, true);
    stop?.(name);
  };
  return {
    begin(_info, onStop) {
      stop = onStop;
      for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
    },
    stopRequested: () => requested,
    takesSnapshots: false,
    offerSnapshot: () => undefined,
    async writeCheckpoint(path, step, bytes) {
      if (bytes === undefined) throw new Error(`no snapshot of step ${step} to write: this channel takes none`);
      await writeFileAtomic(path, bytes);
    },
    end() {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      stop = undefined;
    },
  };
}
