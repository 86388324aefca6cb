/**
 * A model file that cannot be read or written: the message names the file and the JSON path of
 * the offending field, e.g. `model.json: maps.generator.weights[2].shape: expected …, got …`.
 */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  /** The file (or source name) the error is about. */
  readonly source: string;
  /** JSON path of the field (`maps.generator.weights[2].shape`), or `''` for the file as a whole. */
  readonly path: string;

  constructor(source: string, path: string, detail: string, options?: { cause?: unknown }) {
    super(path ? `${source}: ${path}: ${detail}` : `${source}: ${detail}`, options);
    this.source = source;
    this.path = path;
  }
}
