import type { MessagePort } from 'node:worker_threads';
import type { StopSignal } from '../cli/stop-signal.js';
import { STOP_FLAG_VALUES, type CommandThreadMessage, type MainThreadMessage } from '../cli/thread-messages.js';
import type { TrainingChannel } from './training-channel.js';

const SIGNAL_OF_FLAG = new Map<number, StopSignal>(Object.entries(STOP_FLAG_VALUES).map(([signal, value]) => [value, signal as StopSignal]));

/**
 * The channel of a run off the main thread: the main thread owns SIGINT/SIGTERM and raises
 * `stopFlag` (read here after every step with `Atomics.load`, so no message has to get through a
 * busy loop), and writes every checkpoint file; snapshots are transferred to it, not copied.
 * `port` is the worker's `parentPort`.
 */
export function mainThreadChannel(port: MessagePort, stopFlag: Int32Array): TrainingChannel {
  let nextId = 0;
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let stop: ((signal: StopSignal) => void) | undefined;
  const post = (message: CommandThreadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const requested = () => SIGNAL_OF_FLAG.get(Atomics.load(stopFlag, 0));
  port.on('message', (message: MainThreadMessage) => {
    if (message.type === 'stop') {
      stop?.(message.signal);
    } else if (message.type === 'written') {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error === undefined) waiter?.resolve();
      else waiter?.reject(new Error(message.error));
    }
  });
  return {
    begin(info, onStop) {
      stop = onStop;
      post({ type: 'training-begin', info });
      // A signal that came while the run was being prepared stops it before its first step.
      const early = requested();
      if (early !== undefined) onStop(early);
    },
    stopRequested: requested,
    takesSnapshots: true,
    offerSnapshot(step, bytes) {
      post({ type: 'snapshot', step, bytes }, [bytes.buffer as ArrayBuffer]);
    },
    writeCheckpoint(path, step, bytes) {
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        post({ type: 'write-checkpoint', id, path, step, bytes }, bytes ? [bytes.buffer as ArrayBuffer] : []);
      });
    },
    end() {
      stop = undefined;
      post({ type: 'training-end' });
    },
  };
}
