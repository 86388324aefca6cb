import { FileFieldError } from './file-field-error.js';

/**
 * A safetensors file that cannot be read or written: the message names the file, the field of
 * the header (`tensors["net.0.weight"].data_offsets`) and what was expected; `path` is that field,
 * or `''` for the file as a whole.
 */
export class SafetensorsError extends FileFieldError {
  override readonly name = 'SafetensorsError';
}
