/** Where the command line writes and what it knows about its terminal. */
export interface CliIo {
  /** Writes to standard output (results: JSON lines, values). */
  stdout(text: string): void;
  /** Writes to standard error (progress, messages, errors). */
  stderr(text: string): void;
  /** Whether standard error is a terminal (the progress bar redraws in place). */
  stderrIsTTY: boolean;
  /** Width of the terminal, when known. */
  columns: number | undefined;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns,
  };
}
