import { EXIT_CODES } from './exit-codes.js';

/** The signals that stop a `pfm` command: Ctrl-C (SIGINT) and SIGTERM (schedulers, containers, CI). */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Every stop signal, in the order handlers are installed. */
export const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM'];

/** The exit code of a command stopped by `signal`: 130 for SIGINT, 143 for SIGTERM (128 + its number). */
export function stopSignalExitCode(signal: StopSignal): number {
  return signal === 'SIGINT' ? EXIT_CODES.interrupted : EXIT_CODES.terminated;
}
