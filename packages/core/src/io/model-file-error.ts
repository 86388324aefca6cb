import { FileFieldError } from './file-field-error.js';

/**
 * A model file that cannot be read or written: the message names the file and the JSON path of
 * the offending field, e.g. `model.json: maps.generator.weights[2].shape: expected …, got …`;
 * `path` is that JSON path (`maps.generator.weights[2].shape`), or `''` for the file as a whole.
 */
export class ModelFileError extends FileFieldError {
  override readonly name = 'ModelFileError';
}
