import type { MessagePort } from 'node:worker_threads';
import type { CommandThreadMessage } from '../cli/thread-messages.js';
import type { ProgressSink } from './progress-sink.js';

/**
 * A progress sink that hands every call to the main thread, which draws the line (see
 * {@link ProgressSink}). `quiet` drops what a quiet reporter would not print, before it is sent.
 */
export function remoteProgress(port: MessagePort, quiet: boolean): ProgressSink {
  const post = (message: CommandThreadMessage) => port.postMessage(message);
  return {
    message(text, always = false) {
      if (quiet && !always) return;
      post({ type: 'progress-message', text, always });
    },
    update(progress) {
      // Sent even when quiet: the main thread counts the completed steps (not drawn then).
      post({ type: 'progress-update', progress, draw: !quiet });
    },
    clear() {
      post({ type: 'progress-clear' });
    },
  };
}
