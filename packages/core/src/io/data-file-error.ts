/**
 * A data file that cannot be read: the message starts with the file name and, where it applies,
 * names the row and column (both 1-based, as a user sees them; each parser says what a row is).
 */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  /** The file (or source name) the error is about. */
  readonly file: string;
  /** 1-based row, when the error is about one row or cell. */
  readonly row: number | undefined;
  /** 1-based column, when the error is about one cell. */
  readonly column: number | undefined;

  constructor(message: string, details: { file: string; row?: number; column?: number; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.file = details.file;
    this.row = details.row;
    this.column = details.column;
  }
}
