/**
 * A safetensors file that cannot be read or written: the message names the file, the field of
 * the header (`tensors["net.0.weight"].data_offsets`) and what was expected.
 */
export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
  /** The file (or source name) the error is about. */
  readonly source: string;
  /** The field of the header, or `''` for the file as a whole. */
  readonly path: string;

  constructor(source: string, path: string, detail: string, options?: { cause?: unknown }) {
    super(path ? `${source}: ${path}: ${detail}` : `${source}: ${detail}`, options);
    this.source = source;
    this.path = path;
  }
}
