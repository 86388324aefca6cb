/**
 * An error about one field of a file (or of the file as a whole): the message is
 * `<source>: <path>: <detail>`, or `<source>: <detail>` when the path is empty, so it names the
 * file, the field and what was expected. {@link ModelFileError} and {@link SafetensorsError} are its
 * kinds; catch this class to handle either.
 */
export abstract class FileFieldError extends Error {
  override readonly name: string = 'FileFieldError';
  /** The file (or source name) the error is about. */
  readonly source: string;
  /** The field in the file's own notation, or `''` for the file as a whole. */
  readonly path: string;

  constructor(source: string, path: string, detail: string, options?: { cause?: unknown }) {
    super(path ? `${source}: ${path}: ${detail}` : `${source}: ${detail}`, options);
    this.source = source;
    this.path = path;
  }
}
