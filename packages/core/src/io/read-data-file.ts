// Node only.
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createCsvReader } from './csv-reader.js';
import { DataFileError } from './data-file-error.js';
import { dataFormatFromPath } from './data-format.js';
import { DEFAULT_MAX_DATA_BYTES, type DataTable } from './data-table.js';
import { decodeDataFile, type DataDecodeOptions } from './decode-data-file.js';
import { createJsonRowsReader } from './json-rows-reader.js';
import { checkNpyDataLength, npyValues, NPY_MAX_PREFIX_BYTES, readNpyLayout } from './npy-layout.js';

// V8 cannot hold a string longer than about 2^29 characters. CSV is read in chunks and never
// held whole; JSON is too when it has the usual shape, but anything else goes through JSON.parse
// of the whole text, so larger JSON files are refused before reading.
const MAX_TEXT_BYTES = 2 ** 29 - 64;
const CHUNK_BYTES = 1 << 20;

/**
 * Reads a data file into a table [rows, cols], the format chosen by the extension (`.csv`,
 * `.json`, `.npy`; others are refused with the list). An `.npy` of images, `(n, h, w, c)` or
 * `(n, h, w)`, gives one flat row per image and `shape: [h, w, c]` (c = 1 for the latter). CSV and JSON rows are streamed: read and
 * parsed 1 MiB at a time, keeping only the values; a .npy file's header is read and checked
 * first, then its data straight into the table. Errors are {@link DataFileError}s that start
 * with `path` as given.
 */
export async function readDataFile(path: string, options: Omit<DataDecodeOptions, 'source'> = {}): Promise<DataTable> {
  const format = options.format ?? dataFormatFromPath(path);
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new DataFileError(`${path}: is a directory, not a data file`, { file: path });
    // A device or pipe has no size to check in advance (reading a link to /dev/zero never ends).
    if (!info.isFile()) throw new DataFileError(`${path}: is not a regular file (a device, pipe or socket)`, { file: path });
    size = info.size;
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    throw new DataFileError(`${path}: ${readProblem(error)}`, { file: path, cause: error });
  }
  if (format === 'json' && size > MAX_TEXT_BYTES) {
    const reason = `is ${size} bytes, too large to read as JSON text; use .csv or .npy for large data`;
    throw new DataFileError(`${path}: ${reason}`, { file: path });
  }
  const parse = { source: path, ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }) };
  if (format === 'csv') {
    const reader = createCsvReader({ ...parse, ...(options.header === undefined ? {} : { header: options.header }) });
    await streamText(path, (text) => {
      reader.push(text);
      return true;
    });
    return reader.end();
  }
  if (format === 'json') {
    const reader = createJsonRowsReader(parse);
    const complete = await streamText(path, (text) => reader.push(text));
    const table = complete ? reader.end() : undefined;
    if (table) return table;
  }
  if (format === 'npy') return readNpy(path, size, options.maxBytes ?? DEFAULT_MAX_DATA_BYTES);
  // JSON that is not a plain array of rows: decodeDataFile gives the precise message.
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new DataFileError(`${path}: ${readProblem(error)}`, { file: path, cause: error });
  }
  return decodeDataFile(bytes, { ...options, source: path, format });
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`;
}

// Feeds the file to `consume` as UTF-8 text, chunk by chunk; stops early (returning false) when
// `consume` returns false. Bytes that are not UTF-8 are a DataFileError.
async function streamText(path: string, consume: (text: string) => boolean): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  let offset = 0;
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch (error) {
      throw new DataFileError(`${path}: not UTF-8 text (an invalid byte sequence at or after byte ${offset})`, { file: path, cause: error });
    }
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!consume(decode(chunk))) return false;
      offset += chunk.byteLength;
    }
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    throw new DataFileError(`${path}: ${readProblem(error)}`, { file: path, cause: error });
  } finally {
    stream.destroy();
  }
  return consume(decode());
}

// Reads the header, checks it against the file's size, then reads the data section into the
// array that becomes the table (float32 data is not copied again).
async function readNpy(path: string, size: number, maxBytes: number): Promise<DataTable> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  const readAt = async (length: number, position: number): Promise<Uint8Array> => {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await (handle as NonNullable<typeof handle>).read(out, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === length ? out : out.subarray(0, done);
  };
  try {
    handle = await open(path, 'r');
    const layout = readNpyLayout(await readAt(Math.min(size, NPY_MAX_PREFIX_BYTES), 0), path, maxBytes);
    checkNpyDataLength(layout, size - layout.dataStart, path);
    const data = await readAt(layout.dataBytes, layout.dataStart);
    // The file shrank since stat: report it as the truncation it is.
    checkNpyDataLength(layout, data.byteLength, path);
    const values = npyValues(data, layout, path, true);
    return { rows: layout.rows, cols: layout.cols, values, ...(layout.eventShape ? { shape: layout.eventShape } : {}) };
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    throw new DataFileError(`${path}: ${readProblem(error)}`, { file: path, cause: error });
  } finally {
    await handle?.close();
  }
}
