import { DataFileError } from './data-file-error.js';

/** A data file format, named by its file extension. */
export type DataFormat = 'csv' | 'json' | 'npy';

/** The data file formats, in the order they are listed in messages. */
export const DATA_FORMATS: readonly DataFormat[] = ['csv', 'json', 'npy'];

/**
 * The format of a data file from its name's extension (case-insensitive): `.csv`, `.json` or
 * `.npy`. Any other extension is a {@link DataFileError} listing the known ones.
 */
export function dataFormatFromPath(path: string): DataFormat {
  const name = path.split(/[/\\]/).pop() ?? path;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if ((DATA_FORMATS as readonly string[]).includes(extension)) return extension as DataFormat;
  const known = DATA_FORMATS.map((f) => `.${f}`).join(', ');
  const detail = extension ? `unknown data file extension ".${extension}"` : 'no file extension to tell the format';
  throw new DataFileError(`${path}: ${detail} (known: ${known})`, { file: path });
}
