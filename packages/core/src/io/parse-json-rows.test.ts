import { describe, expect, it } from 'vitest';
import { DataFileError } from './data-file-error.js';
import { formatJsonRows } from './format-json-rows.js';
import { parseJsonRows } from './parse-json-rows.js';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return (error as Error).message;
  }
  throw new Error('expected a DataFileError');
}

describe('parseJsonRows', () => {
  it('reads an array of rows', () => {
    const t = parseJsonRows('[[1, 2.5], [-3, 4e-3]]');
    expect([t.rows, t.cols]).toEqual([2, 2]);
    expect(Array.from(t.values)).toEqual([1, 2.5, -3, Math.fround(4e-3)]);
  });

  it('reads a flat array of numbers as one column', () => {
    const t = parseJsonRows('[1, 2, 3]');
    expect([t.rows, t.cols]).toEqual([3, 1]);
    expect(Array.from(t.values)).toEqual([1, 2, 3]);
  });

  it('round-trips float32 values exactly (and writes one-column tables as [[x], …])', () => {
    const values = new Float32Array([0.1, -0, 1e-38, -3.4028234663852886e38, 1 / 3, 42]);
    const back = parseJsonRows(formatJsonRows({ rows: 3, cols: 2, values }));
    expect([back.rows, back.cols]).toEqual([3, 2]);
    Array.from(values).forEach((v, i) => expect(Object.is(back.values[i], v)).toBe(true));
    expect(formatJsonRows({ rows: 2, cols: 1, values: new Float32Array([1, 2]) })).toBe('[[1],\n[2]]\n');
  });

  it('names the problem, the row and the column', () => {
    expect(messageOf(() => parseJsonRows('', { source: 'd.json' }))).toBe('d.json: the file is empty (expected a JSON array of rows)');
    expect(messageOf(() => parseJsonRows('[]', { source: 'd.json' }))).toBe('d.json: the array is empty (expected at least one row)');
    expect(messageOf(() => parseJsonRows('{"a": 1}', { source: 'd.json' }))).toBe(
      'd.json: expected a JSON array of rows (arrays of numbers), got an object',
    );
    expect(messageOf(() => parseJsonRows('[[1,2],[3]]', { source: 'd.json' }))).toBe('d.json: row 2 has 1 columns, expected 2');
    expect(messageOf(() => parseJsonRows('[[1,2],[3,"4"]]', { source: 'd.json' }))).toBe(
      'd.json: row 2, column 2: expected a number, got the string "4"',
    );
    expect(messageOf(() => parseJsonRows('[[1,2],[null,4]]', { source: 'd.json' }))).toBe(
      'd.json: row 2, column 1: expected a number, got null (JSON.stringify writes NaN and Infinity as null; they are not allowed)',
    );
    expect(messageOf(() => parseJsonRows('[[1],[1e39]]', { source: 'd.json' }))).toBe(
      'd.json: row 2, column 1: 1e+39 is outside the float32 range (|x| <= 3.4028235e38)',
    );
    expect(messageOf(() => parseJsonRows('[[1],[1e400]]', { source: 'd.json' }))).toBe(
      'd.json: row 2, column 1: Infinity is outside the float32 range (|x| <= 3.4028235e38)',
    );
    expect(messageOf(() => parseJsonRows('[1,[2]]', { source: 'd.json' }))).toMatch(/^d\.json: row 2 is an array but row 1 is a number/);
    expect(messageOf(() => parseJsonRows('[[1],2]', { source: 'd.json' }))).toBe(
      'd.json: row 2: expected an array of 1 numbers, got number 2',
    );
    expect(messageOf(() => parseJsonRows('[[]]', { source: 'd.json' }))).toBe('d.json: row 1 is empty (expected at least one number)');
    expect(messageOf(() => parseJsonRows('[[1,2]', { source: 'd.json' }))).toMatch(/^d\.json: invalid JSON: /);
    expect(messageOf(() => parseJsonRows('[[1,2],[3,4]]', { source: 'd.json', maxBytes: 8 }))).toBe(
      'd.json: more than 8 bytes of float32 values (the maxBytes limit) at row 2',
    );
    // The same limit on the general path (a string cell sends the text to JSON.parse).
    expect(messageOf(() => parseJsonRows('[[1,"2"],[3,4]]', { source: 'd.json', maxBytes: 8 }))).toBe(
      'd.json: 2 × 2 float32 values exceed the maxBytes limit (8 bytes)',
    );
  });

  it('reports row and column fields on the error', () => {
    try {
      parseJsonRows('[[1,2],[3,"x"]]', { source: 'd.json' });
    } catch (error) {
      expect([(error as DataFileError).file, (error as DataFileError).row, (error as DataFileError).column]).toEqual(['d.json', 2, 2]);
      return;
    }
    throw new Error('expected an error');
  });
});
