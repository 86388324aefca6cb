// A folder of PNG files as a table of images: one flat row per file, all of one size. Node only.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFileError, type DataTable } from '@pfm/core';
import { decodePng } from './decode-png.js';

/** A table of images read from a folder, with the file of each row. */
export interface PngFolderTable extends DataTable {
  /** `[h, w, c]`. */
  shape: number[];
  /** The file name of each row, in row order. */
  files: string[];
}

/** Options of {@link readPngFolder}. */
export interface ReadPngFolderOptions {
  /** Largest table accepted, in bytes of float32 values (default 2^31), checked as files are read. */
  maxBytes?: number;
}

const describe = (width: number, height: number, channels: number) => `${width}×${height} with ${channels === 1 ? '1 channel (grey)' : '3 channels (RGB)'}`;

/**
 * Reads every `.png` file directly in `folder` (case-insensitive extension; other files and
 * sub-folders are ignored), in code-point order of their names, into a table: row i is file i's
 * pixels, row-major, channels last, values in [0, 1] (see decodePng: grey → c = 1, RGB(A) or
 * palette → c = 3, alpha dropped), and `shape` is `[h, w, c]`. Every file must have the size and
 * channels of the first; otherwise one `DataFileError` (of `@pfm/core`) names the first file that differs,
 * its size and the expected one. An empty folder, an unreadable or corrupt file are errors too.
 */
export async function readPngFolder(folder: string, options: ReadPngFolderOptions = {}): Promise<PngFolderTable> {
  const maxBytes = options.maxBytes ?? 2 ** 31;
  let names: string[];
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    names = entries.filter((e) => !e.isDirectory() && /\.png$/i.test(e.name)).map((e) => e.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : `cannot read: ${(error as Error).message}`;
    throw new DataFileError(`${folder}: ${reason}`, { file: folder, cause: error });
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) throw new DataFileError(`${folder}: the folder holds no .png file`, { file: folder });

  let first: { name: string; width: number; height: number; channels: number } | undefined;
  let values = new Float32Array(0);
  for (const [row, name] of names.entries()) {
    const path = join(folder, name);
    let bytes: Uint8Array;
    try {
      if (!(await stat(path)).isFile()) throw new Error('not a regular file');
      bytes = await readFile(path);
    } catch (error) {
      throw new DataFileError(`${path}: cannot read: ${(error as Error).message}`, { file: path, cause: error });
    }
    const image = decodePng(bytes, { source: path });
    if (first === undefined) {
      first = { name, width: image.width, height: image.height, channels: image.channels };
      const bytesNeeded = 4 * names.length * image.values.length;
      if (bytesNeeded > maxBytes) {
        throw new DataFileError(`${folder}: ${names.length} images of ${describe(image.width, image.height, image.channels)} need ${bytesNeeded} bytes as float32, more than the maxBytes limit (${maxBytes})`, { file: folder });
      }
      values = new Float32Array(names.length * image.values.length);
    } else if (image.width !== first.width || image.height !== first.height || image.channels !== first.channels) {
      throw new DataFileError(
        `${path}: ${describe(image.width, image.height, image.channels)}, expected ${describe(first.width, first.height, first.channels)} like ${first.name} (every image of a folder must have one size)`,
        { file: path },
      );
    }
    values.set(image.values, row * image.values.length);
  }
  const { width, height, channels } = first!;
  return { rows: names.length, cols: width * height * channels, values, shape: [height, width, channels], files: names };
}
