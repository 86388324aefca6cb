/**
 * An error meant for the user of the command line: its message is the whole story (no stack
 * trace needed), e.g. `--steps must be a positive integer, got "ten"`.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}
