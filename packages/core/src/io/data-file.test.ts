import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDimension } from './check-dimension.js';
import { DataFileError } from './data-file-error.js';
import { dataFormatFromPath } from './data-format.js';
import { decodeDataFile } from './decode-data-file.js';
import { encodeDataFile } from './encode-data-file.js';
import { readDataFile } from './read-data-file.js';
import { writeDataFile } from './write-data-file.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pfm-io-data-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const table = { rows: 3, cols: 2, values: new Float32Array([0.1, -2, 3.5e-8, 4e20, -0, 6]), header: ['x', 'y'] };

async function rejection(promise: Promise<unknown>): Promise<DataFileError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error('expected a DataFileError');
}

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

  it('refuses unknown extensions, listing the known ones', async () => {
    expect(() => dataFormatFromPath('data.txt')).toThrow('data.txt: unknown data file extension ".txt" (known: .csv, .json, .npy)');
    expect(() => dataFormatFromPath('dir.csv/data')).toThrow('dir.csv/data: no file extension to tell the format (known: .csv, .json, .npy)');
    expect((await rejection(readDataFile(join(dir, 'a.tsv')))).message).toMatch(/a\.tsv: unknown data file extension "\.tsv"/);
    await expect(writeDataFile(join(dir, 'a.h5'), table)).rejects.toThrow('unknown data file extension ".h5"');
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a missing file and parse errors with the path as given', async () => {
    const missing = join(dir, 'none.csv');
    expect((await rejection(readDataFile(missing))).message).toBe(`${missing}: no such file`);
    const path = join(dir, 'bad.csv');
    await writeFile(path, 'x,y\n1,2\n3\n');
    const error = await rejection(readDataFile(path));
    expect(error.message).toBe(`${path}: row 3 has 1 columns, expected 2`);
    expect([error.file, error.row]).toEqual([path, 3]);
    await writeFile(join(dir, 'latin.csv'), new Uint8Array([0x31, 0x2c, 0xe9, 0x0a]));
    expect((await rejection(readDataFile(join(dir, 'latin.csv')))).message).toBe(`${join(dir, 'latin.csv')}: not UTF-8 text`);
  });

  it('decodes bytes by format for the browser, format from the name or given', () => {
    const bytes = encodeDataFile(table, 'npy');
    expect(decodeDataFile(bytes, { source: 'upload.npy' }).rows).toBe(3);
    expect(decodeDataFile(encodeDataFile(table, 'json'), { source: 'blob', format: 'json' }).cols).toBe(2);
    expect(decodeDataFile(new TextEncoder().encode('1,2\n3,4\n'), { source: 'x.csv', header: true }).header).toEqual(['1', '2']);
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
