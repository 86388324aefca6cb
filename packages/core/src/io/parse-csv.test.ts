import { describe, expect, it } from 'vitest';
import { DataFileError } from './data-file-error.js';
import { formatCsv } from './format-csv.js';
import { parseCsv } from './parse-csv.js';

function errorOf(run: () => unknown): DataFileError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error('expected a DataFileError');
}

describe('parseCsv', () => {
  it('reads rows of numbers without a header', () => {
    const t = parseCsv('1,2\n3.5,-4e-2\n', { source: 'data.csv' });
    expect(t.rows).toBe(2);
    expect(t.cols).toBe(2);
    expect(Array.from(t.values)).toEqual([1, 2, 3.5, Math.fround(-4e-2)]);
    expect(t.header).toBeUndefined();
  });

  it('detects a header row, trims cells, accepts CRLF, blank lines, a BOM and quoted names', () => {
    const t = parseCsv('\uFEFF"x, first" , y\r\n 1 , 2 \r\n\r\n3,4\r\n', { source: 'data.csv' });
    expect(t.header).toEqual(['x, first', 'y']);
    expect([t.rows, t.cols]).toEqual([2, 2]);
    expect(Array.from(t.values)).toEqual([1, 2, 3, 4]);
  });

  it('reads a pandas-style header whose first cell is empty', () => {
    const t = parseCsv(',a,b\n0,1,2\n');
    expect(t.header).toEqual(['', 'a', 'b']);
    expect(Array.from(t.values)).toEqual([0, 1, 2]);
  });

  it('header: true / false override the detection', () => {
    expect(parseCsv('1,2\n3,4\n', { header: true }).header).toEqual(['1', '2']);
    const e = errorOf(() => parseCsv('x,y\n3,4\n', { header: false, source: 'd.csv' }));
    expect(e.message).toBe('d.csv: row 1, column 1: "x" is not a number');
  });

  it('round-trips float32 values exactly, with and without a header', () => {
    const values = new Float32Array([0.1, -0, 1e-38, 3.4028234663852886e38, -123456.789, 1 / 3, 7, -2.5e-7]);
    for (const header of [undefined, ['a', 'b,c', '"q"', '#d']]) {
      const table = { rows: 2, cols: 4, values, ...(header ? { header } : {}) };
      const back = parseCsv(formatCsv(table));
      expect(back.header).toEqual(header);
      expect([back.rows, back.cols]).toEqual([2, 4]);
      // Exact equality of every bit (Object.is keeps -0 apart from 0).
      Array.from(values).forEach((v, i) => expect(Object.is(back.values[i], v)).toBe(true));
    }
  });

  it('refuses to write a header that would read back as data', () => {
    const values = new Float32Array([1, 2]);
    expect(() => formatCsv({ rows: 1, cols: 2, values, header: ['x', '2'] })).toThrow(
      'formatCsv: header name "2" reads as a number, so the header would read back as a data row',
    );
    expect(() => formatCsv({ rows: 1, cols: 2, values, header: [' NaN', 'y'] })).toThrow(/header name " NaN" reads as a number/);
    expect(() => formatCsv({ rows: 1, cols: 2, values, header: ['', ' '] })).toThrow(/every header name is empty/);
    // One empty name beside a real one reads back.
    expect(parseCsv(formatCsv({ rows: 1, cols: 2, values, header: ['', 'y'] })).header).toEqual(['', 'y']);
  });

  it('formats the shortest decimals', () => {
    expect(formatCsv({ rows: 1, cols: 3, values: new Float32Array([0.1, 100, 1.5]) })).toBe('0.1,100,1.5\n');
  });

  it('refuses an empty file and a header without data', () => {
    expect(errorOf(() => parseCsv('', { source: 'data.csv' })).message).toBe(
      'data.csv: the file is empty (expected rows of comma-separated numbers)',
    );
    expect(errorOf(() => parseCsv('\n  \n', { source: 'data.csv' })).message).toMatch(/^data\.csv: the file is empty/);
    expect(errorOf(() => parseCsv('x,y\n', { source: 'data.csv' })).message).toBe(
      'data.csv: the file has a header row but no data rows',
    );
  });

  it('names the row of a ragged line, counting the header and blank lines as in an editor', () => {
    const text = 'x,y\n1,2\n3,4\n\n5,6\n7,8\n9,10,11\n';
    const e = errorOf(() => parseCsv(text, { source: 'data.csv' }));
    expect(e.message).toBe('data.csv: row 7 has 3 columns, expected 2');
    expect([e.file, e.row, e.column]).toEqual(['data.csv', 7, undefined]);
  });

  it('names row, column and the quoted cell of a non-numeric value', () => {
    const e = errorOf(() => parseCsv('1,2\n3,abc\n', { source: 'data.csv' }));
    expect(e.message).toBe('data.csv: row 2, column 2: "abc" is not a number');
    expect([e.row, e.column]).toEqual([2, 2]);
    expect(errorOf(() => parseCsv('1,,2\n')).message).toBe('data: row 1, column 2: empty cell (expected a number)');
    expect(errorOf(() => parseCsv('1,2\n0x10,1\n')).message).toBe('data: row 2, column 1: "0x10" is not a number');
    // A one-cell first row that is not a number reads as a header; the data row then fails.
    expect(errorOf(() => parseCsv('x;y\n3;4\n')).message).toBe(
      'data: row 2, column 1: "3;4" is not a number (the separator is a comma)',
    );
    expect(errorOf(() => parseCsv('x,1\n2,3\n')).message).toBe(
      'data: row 1, column 1: "x" is not a number (a header row must have no numeric cells)',
    );
  });

  it('refuses NaN, Infinity and values beyond float32', () => {
    for (const cell of ['NaN', 'nan', 'inf', '-Infinity']) {
      const e = errorOf(() => parseCsv(`1,2\n3,${cell}\n`, { source: 'data.csv' }));
      expect(e.message).toBe(`data.csv: row 2, column 2: "${cell}" is not a finite number (NaN and Infinity are not allowed)`);
    }
    expect(errorOf(() => parseCsv('1e39\n')).message).toBe(
      'data: row 1, column 1: "1e39" is outside the float32 range (|x| <= 3.4028235e38)',
    );
    expect(errorOf(() => parseCsv('1e400\n')).message).toMatch(/"1e400" is outside the float32 range/);
  });

  it('refuses comment lines with a hint', () => {
    const e = errorOf(() => parseCsv('# x y\n1,2\n', { source: 'data.csv' }));
    expect(e.message).toBe(
      `data.csv: row 1: comment lines ("#…") are not supported in CSV data; remove them (numpy.savetxt: pass comments='')`,
    );
  });

  it('refuses broken quoting', () => {
    expect(errorOf(() => parseCsv('"x,y\n1\n')).message).toBe('data: row 1, column 1: unterminated quoted cell');
    expect(errorOf(() => parseCsv('"x"z,y\n1,2\n')).message).toBe('data: row 1, column 1: text after a closing quote');
  });

  it('stops at the maxBytes limit', () => {
    const e = errorOf(() => parseCsv('1,2\n3,4\n5,6\n', { source: 'data.csv', maxBytes: 16 }));
    expect(e.message).toBe('data.csv: more than 16 bytes of float32 values (the maxBytes limit) at row 3');
  });

  it('grows its buffer past the first block (3000 rows)', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `${i},${-i}`);
    const t = parseCsv(lines.join('\n'));
    expect(t.rows).toBe(3000);
    expect(t.values[2 * 2999]).toBe(2999);
    expect(t.values[2 * 2999 + 1]).toBe(-2999);
    expect(t.values.length).toBe(6000);
  });
});
