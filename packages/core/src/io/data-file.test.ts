import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDimension } from './check-dimension.js';
import { DataFileError } from './data-file-error.js';
import { dataFormatFromPath } from './data-format.js';
import { decodeDataFile } from './decode-data-file.js';
import { encodeDataFile } from './encode-data-file.js';
import { parseNpy } from './parse-npy.js';
import { readDataFile } from './read-data-file.js';
import { writeDataFile } from './write-data-file.js';
import { rejection } from './rejection-support.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pfm-io-data-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const table = { rows: 3, cols: 2, values: new Float32Array([0.1, -2, 3.5e-8, 4e20, -0, 6]), header: ['x', 'y'] };

describe('data files', () => {
  it('writes and reads back .csv, .json and .npy (extension case ignored)', async () => {
    for (const name of ['d.csv', 'd.json', 'd.npy', 'D.NPY']) {
      const path = join(dir, name);
      await writeDataFile(path, table);
      const back = await readDataFile(path);
      expect([back.rows, back.cols]).toEqual([3, 2]);
      Array.from(table.values).forEach((v, i) => expect(Object.is(back.values[i], v)).toBe(true));
      expect(back.header).toEqual(name === 'd.csv' ? ['x', 'y'] : undefined);
    }
    expect((await readdir(dir)).filter((n) => n.startsWith('.pfm-tmp-'))).toEqual([]);
    expect(await readFile(join(dir, 'd.csv'), 'utf8')).toBe('x,y\n0.1,-2\n3.5e-8,400000000000000000000\n-0,6\n');
  });

  it('keeps the shape of images through .npy; .csv and .json hold the same values as flat rows', async () => {
    const images = { rows: 2, cols: 12, values: Float32Array.from({ length: 24 }, (_, i) => i / 23), shape: [2, 3, 2] };
    const npyPath = join(dir, 'images.npy');
    await writeDataFile(npyPath, images);
    const back = await readDataFile(npyPath);
    expect([back.rows, back.cols, back.shape]).toEqual([2, 12, [2, 3, 2]]);
    expect(Array.from(back.values)).toEqual(Array.from(images.values));
    // The header numpy reads: (n, h, w, c).
    expect(new TextDecoder().decode((await readFile(npyPath)).subarray(10, 90))).toContain("'shape': (2, 2, 3, 2)");
    for (const name of ['images.csv', 'images.json']) {
      await writeDataFile(join(dir, name), images);
      const flat = await readDataFile(join(dir, name));
      expect([flat.rows, flat.cols, flat.shape]).toEqual([2, 12, undefined]);
      expect(Array.from(flat.values)).toEqual(Array.from(images.values));
    }
  });

  it('refuses unknown extensions, listing the known ones', async () => {
    expect(() => dataFormatFromPath('data.txt')).toThrow('data.txt: unknown data file extension ".txt" (known: .csv, .json, .npy)');
    expect(() => dataFormatFromPath('dir.csv/data')).toThrow('dir.csv/data: no file extension to tell the format (known: .csv, .json, .npy)');
    expect((await rejection(readDataFile(join(dir, 'a.tsv')), DataFileError)).message).toMatch(/a\.tsv: unknown data file extension "\.tsv"/);
    await expect(writeDataFile(join(dir, 'a.h5'), table)).rejects.toThrow('unknown data file extension ".h5"');
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a missing file and parse errors with the path as given', async () => {
    const missing = join(dir, 'none.csv');
    expect((await rejection(readDataFile(missing), DataFileError)).message).toBe(`${missing}: no such file`);
    const path = join(dir, 'bad.csv');
    await writeFile(path, 'x,y\n1,2\n3\n');
    const error = await rejection(readDataFile(path), DataFileError);
    expect(error.message).toBe(`${path}: row 3 has 1 columns, expected 2`);
    expect([error.file, error.row]).toEqual([path, 3]);
    await writeFile(join(dir, 'latin.csv'), new Uint8Array([0x31, 0x2c, 0xe9, 0x0a]));
    expect((await rejection(readDataFile(join(dir, 'latin.csv')), DataFileError)).message).toBe(
      `${join(dir, 'latin.csv')}: not UTF-8 text (an invalid byte sequence at or after byte 0)`,
    );
  });

  it('decodes bytes by format for the browser, format from the name or given', () => {
    const bytes = encodeDataFile(table, 'npy');
    expect(decodeDataFile(bytes, { source: 'upload.npy' }).rows).toBe(3);
    expect(decodeDataFile(encodeDataFile(table, 'json'), { source: 'blob', format: 'json' }).cols).toBe(2);
    expect(decodeDataFile(new TextEncoder().encode('1,2\n3,4\n'), { source: 'x.csv', header: true }).header).toEqual(['1', '2']);
  });

  it('streams: a multi-byte character cut by the 1 MiB chunk boundary reads back whole', async () => {
    // The header cell's "é"s (2 bytes each) straddle byte 2^20 = 1048576, where a chunk ends.
    const name = 'é'.repeat(600_000);
    const bytes = new TextEncoder().encode(`"${name}",y\n1,2\n3,4\n`);
    const path = join(dir, 'wide.csv');
    await writeFile(path, bytes);
    for (const back of [await readDataFile(path), decodeDataFile(bytes, { source: 'wide.csv' })]) {
      expect(back.header).toEqual([name, 'y']);
      expect(Array.from(back.values)).toEqual([1, 2, 3, 4]);
    }
  });

  it('reads .npy from disk as parseNpy reads its bytes: float32, float64, truncated and over-long', async () => {
    const f4 = encodeDataFile(table, 'npy');
    await writeFile(join(dir, 'f4.npy'), f4);
    expect(Array.from((await readDataFile(join(dir, 'f4.npy'))).values)).toEqual(Array.from(table.values));
    // The same header as float64 ('<f8'): values rounded to float32.
    const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }";
    const padded = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
    const f8 = new Uint8Array(10 + padded.length + 24);
    f8.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length & 255, padded.length >> 8]);
    for (let i = 0; i < padded.length; i++) f8[10 + i] = padded.charCodeAt(i);
    new DataView(f8.buffer).setFloat64(10 + padded.length, 0.1, true);
    new DataView(f8.buffer).setFloat64(10 + padded.length + 8, -2.5, true);
    new DataView(f8.buffer).setFloat64(10 + padded.length + 16, 1e30, true);
    await writeFile(join(dir, 'f8.npy'), f8);
    const back = await readDataFile(join(dir, 'f8.npy'));
    expect([back.rows, back.cols]).toEqual([3, 1]);
    expect(Array.from(back.values)).toEqual([Math.fround(0.1), -2.5, Math.fround(1e30)]);
    for (const [name, bytes] of [
      ['short.npy', f4.subarray(0, f4.length - 3)],
      ['long.npy', new Uint8Array([...f4, 0, 0, 0, 0])],
      ['header.npy', f4.subarray(0, 40)],
    ] as const) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      let expected = '';
      try {
        parseNpy(bytes, { source: path });
      } catch (error) {
        expected = (error as Error).message;
      }
      expect(expected).not.toBe('');
      expect((await rejection(readDataFile(path), DataFileError)).message).toBe(expected);
    }
  });

  it('JSON that is not plain rows of numbers gets the precise message from disk too', async () => {
    const path = join(dir, 'mixed.json');
    await writeFile(path, '[[1, 2], [3, "4"]]');
    const error = await rejection(readDataFile(path), DataFileError);
    expect(error.message).toBe(`${path}: row 2, column 2: expected a number, got the string "4"`);
    expect([error.row, error.column]).toEqual([2, 2]);
    await writeFile(path, '[[1, 2],\n [3, 4]]\n');
    expect(Array.from((await readDataFile(path)).values)).toEqual([1, 2, 3, 4]);
  });

  it.skipIf(process.platform === 'win32')('refuses a device or pipe instead of reading it forever', async () => {
    await symlink('/dev/zero', join(dir, 'zero.csv'));
    expect((await rejection(readDataFile(join(dir, 'zero.csv')), DataFileError)).message).toBe(
      `${join(dir, 'zero.csv')}: is not a regular file (a device, pipe or socket)`,
    );
  });

  it('checkDimension names the file, its columns and the expected dimension', () => {
    expect(() => checkDimension({ rows: 1, cols: 3, values: new Float32Array(3) }, 2, 'data.csv')).toThrow(
      'data.csv has 3 columns but the model expects 2',
    );
    expect(() => checkDimension({ rows: 1, cols: 1, values: new Float32Array(1) }, 2, 'data.csv')).toThrow(
      'data.csv has 1 column but the model expects 2',
    );
    expect(() => checkDimension(table, 2, 'data.csv')).not.toThrow();
  });

  it('encoders refuse inconsistent tables', () => {
    expect(() => encodeDataFile({ rows: 2, cols: 2, values: new Float32Array(3) }, 'csv')).toThrow(
      'formatCsv: values has 3 entries, expected rows · cols = 2 · 2 = 4',
    );
    expect(() => encodeDataFile({ rows: 1, cols: 2, values: new Float32Array(2), header: ['a'] }, 'npy')).toThrow(
      'encodeNpy: header has 1 names, expected 2 (one per column)',
    );
    expect(() => encodeDataFile({ rows: 1, cols: 0, values: new Float32Array(0) }, 'json')).toThrow(
      'formatJsonRows: cols must be a positive integer, got 0',
    );
  });
});
