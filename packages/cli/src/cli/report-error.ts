import { withDidYouMean } from '../format/did-you-mean.js';
import type { CliIo } from './cli-io.js';

/** The message of an error on one line; an unknown id gets a "did you mean" when a known one is close. */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return withDidYouMean(message.replace(/\s*\n\s*/g, ' ').trim()) || (error instanceof Error ? error.name : 'unknown error');
}

/** Writes `pfm <command>: <message>` to stderr; with --verbose also the stack and every cause. */
export function reportError(io: Pick<CliIo, 'stderr'>, where: string, error: unknown, verbose: boolean): void {
  io.stderr(`${where}: ${errorLine(error)}\n`);
  if (!verbose) return;
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    if (current instanceof Error) {
      io.stderr(`${depth === 0 ? '' : 'caused by: '}${current.stack ?? current.message}\n`);
      current = (current as { cause?: unknown }).cause;
    } else {
      io.stderr(`caused by: ${String(current)}\n`);
      current = undefined;
    }
  }
}
