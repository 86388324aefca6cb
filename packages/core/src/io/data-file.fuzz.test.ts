// Property tests of the data-file readers (fast-check, fixed seeds): every input either loads
// correctly or is refused with a DataFileError — never another exception, a hang or a silently
// shortened table.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCsvReader } from './csv-reader.js';
import { DataFileError } from './data-file-error.js';
import type { DataFormat } from './data-format.js';
import { decodeDataFile } from './decode-data-file.js';
import { encodeDataFile } from './encode-data-file.js';
import { encodeNpy } from './encode-npy.js';
import { formatCsv } from './format-csv.js';
import { formatJsonRows } from './format-json-rows.js';
import { applyMutations, dataTable, fuzzHere, fuzzParameters, mutation, outcome, piecesOf, textJunk } from './fuzz-support.js';
import { createJsonRowsReader } from './json-rows-reader.js';
import { parseCsv } from './parse-csv.js';
import { parseJsonRows } from './parse-json-rows.js';
import { parseNpy } from './parse-npy.js';

const FORMATS: DataFormat[] = ['csv', 'json', 'npy'];

function bitsOf(values: Float32Array): string[] {
  return Array.from(values, (v) => (Object.is(v, -0) ? '-0' : String(v)));
}

// Runs `run`; a throw must be a DataFileError naming the source first.
function loadsOrRefuses<T>(run: () => T, source: string): T | undefined {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    expect(error.message.startsWith(`${source}: `)).toBe(true);
    expect(error.file).toBe(source);
    return undefined;
  }
}

// What JSON.parse makes of the text, as a table, or 'refused': the oracle of the JSON reader.
function jsonReference(text: string): { rows: number; cols: number; values: number[] } | 'refused' {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return 'refused';
  }
  if (!Array.isArray(data) || data.length === 0) return 'refused';
  const rows = (Array.isArray(data[0]) ? data : data.map((x) => [x])) as unknown[];
  const cols = Array.isArray(rows[0]) ? rows[0].length : 0;
  if (cols === 0) return 'refused';
  const values: number[] = [];
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== cols) return 'refused';
    for (const x of row) {
      if (typeof x !== 'number' || !Number.isFinite(Math.fround(x))) return 'refused';
      values.push(Math.fround(x));
    }
  }
  return { rows: rows.length, cols, values };
}

describe.skipIf(!fuzzHere)('data-file readers under fuzzing', () => {
  it('round trip: any finite float32 table comes back bit for bit in every format', () => {
    fc.assert(
      fc.property(dataTable, fc.constantFrom(...FORMATS), (table, format) => {
        const back = decodeDataFile(encodeDataFile(table, format), { format, source: `t.${format}` });
        expect([back.rows, back.cols]).toEqual([table.rows, table.cols]);
        expect(bitsOf(back.values)).toEqual(bitsOf(table.values));
      }),
      fuzzParameters(101, 300),
    );
  });

  it('streaming: feeding the text in any pieces gives what one piece gives (table or error)', () => {
    const text = fc.oneof(
      dataTable.map((t) => formatCsv(t)),
      dataTable.map((t) => formatJsonRows(t)),
      fc.string({ unit: fc.constantFrom(...'0123456789-.e,[] \n\r"#x') }),
    );
    fc.assert(
      fc.property(text, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }), (whole, cuts) => {
        const pieces = piecesOf(whole, cuts);
        const csvWhole = outcome(() => parseCsv(whole, { source: 's.csv' }));
        const csvPieces = outcome(() => {
          const reader = createCsvReader({ source: 's.csv' });
          for (const p of pieces) reader.push(p);
          return reader.end();
        });
        expect(csvPieces).toEqual(csvWhole);
        // The fast JSON reader either gives up, or agrees with itself fed in one piece.
        const reader = createJsonRowsReader({ source: 's.json' });
        const fed = pieces.every((p) => reader.push(p)) ? reader.end() : undefined;
        const one = createJsonRowsReader({ source: 's.json' });
        const single = one.push(whole) ? one.end() : undefined;
        expect(outcome(() => fed ?? { rows: 0, cols: 0, values: new Float32Array(0) })).toEqual(
          outcome(() => single ?? { rows: 0, cols: 0, values: new Float32Array(0) }),
        );
      }),
      fuzzParameters(102, 400),
    );
  });

  it('JSON: the reader agrees with JSON.parse on mutated rows and on arbitrary JSON values', () => {
    const text = fc.oneof(
      fc
        .tuple(dataTable, fc.array(mutation(textJunk), { minLength: 1, maxLength: 3 }))
        .map(([t, ms]) => new TextDecoder().decode(applyMutations(new TextEncoder().encode(formatJsonRows(t)), ms))),
      fc.json(),
      fc.array(fc.array(fc.oneof(fc.double(), fc.integer(), fc.constant(null)), { maxLength: 3 }), { maxLength: 4 }).map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(text, (json) => {
        const expected = jsonReference(json);
        const table = loadsOrRefuses(() => parseJsonRows(json, { source: 'm.json' }), 'm.json');
        if (expected === 'refused') {
          expect(table).toBeUndefined();
        } else {
          expect(table).toBeDefined();
          expect([table!.rows, table!.cols]).toEqual([expected.rows, expected.cols]);
          expect(Array.from(table!.values)).toEqual(expected.values);
        }
      }),
      fuzzParameters(103, 600),
    );
  });

  it('CSV: mutated files load with one row per non-blank line, or are refused', () => {
    fc.assert(
      fc.property(dataTable, fc.array(mutation(textJunk), { minLength: 1, maxLength: 4 }), (table, ms) => {
        const bytes = applyMutations(encodeDataFile(table, 'csv'), ms);
        const back = loadsOrRefuses(() => decodeDataFile(bytes, { source: 'm.csv' }), 'm.csv');
        if (back === undefined) return;
        // No silent truncation: every non-blank line is a row (or the header).
        const lines = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '').split('\n');
        const filled = lines.filter((l) => l.trim().length > 0).length;
        expect(back.rows + (back.header ? 1 : 0)).toBe(filled);
        expect(back.values.length).toBe(back.rows * back.cols);
        expect(back.values.every((v) => Number.isFinite(v))).toBe(true);
        // What loaded is what the file says: without quotes, each cell is its trimmed text as a
        // number, row after row.
        if (!lines.some((l) => l.includes('"'))) {
          const cells = lines
            .filter((l) => l.trim().length > 0)
            .slice(back.header ? 1 : 0)
            .flatMap((l) => l.split(',').map((c) => Math.fround(Number(c.trim()))));
          expect(bitsOf(back.values)).toEqual(bitsOf(new Float32Array(cells)));
        }
      }),
      fuzzParameters(104, 600),
    );
  });

  it('NPY: mutated files load with the declared shape and the file\'s own values, or are refused', () => {
    fc.assert(
      fc.property(dataTable, fc.array(mutation(fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), (table, ms) => {
        const original = encodeNpy(table);
        const bytes = applyMutations(original, ms);
        const back = loadsOrRefuses(() => parseNpy(bytes, { source: 'm.npy' }), 'm.npy');
        if (back === undefined) return;
        // A file that loads ends with exactly its rows · cols values (float32, or float64 rounded
        // to float32), and those are what comes back: nothing dropped, nothing shifted.
        const n = back.rows * back.cols;
        expect(back.values.length).toBe(n);
        const asFloat32 = bytes.length >= 4 * n ? new Float32Array(Array.from({ length: n }, (_v, k) => new DataView(bytes.buffer, bytes.byteOffset).getFloat32(bytes.length - 4 * n + 4 * k, true))) : undefined;
        const asFloat64 = bytes.length >= 8 * n ? new Float32Array(Array.from({ length: n }, (_v, k) => new DataView(bytes.buffer, bytes.byteOffset).getFloat64(bytes.length - 8 * n + 8 * k, true))) : undefined;
        const got = bitsOf(back.values);
        const matches = [asFloat32, asFloat64].filter((v) => v !== undefined && bitsOf(v).join() === got.join());
        expect(matches.length).toBeGreaterThan(0);
        expect(back.values.every((v) => Number.isFinite(v))).toBe(true);
        void original;
      }),
      fuzzParameters(105, 600),
    );
  });

  it('random bytes in any format: a table or a DataFileError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.constantFrom(...FORMATS), (bytes, format) => {
        loadsOrRefuses(() => decodeDataFile(bytes, { format, source: `r.${format}` }), `r.${format}`);
      }),
      fuzzParameters(106, 1000),
    );
  });
});

describe('data-file readers: hostile inputs', () => {
  it('a cell of 200,000 digits and a letter is refused at once (no regex backtracking)', () => {
    // The old pattern /\d+\.?\d*/ tried every split of the digit run: quadratic, ~1 minute here.
    const cell = '1'.repeat(200_000);
    const started = performance.now();
    expect(() => parseCsv(`1,2\n3,${cell}x\n`, { source: 'd.csv' })).toThrow(DataFileError);
    expect(() => parseCsv(`${cell}x,2\n3,4\n`, { source: 'd.csv', header: false })).toThrow(DataFileError);
    // A generous bound for a loaded machine: the linear pattern takes about a millisecond.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a line that arrives in many small pieces is joined in linear time', () => {
    const reader = createCsvReader({ source: 'd.csv' });
    const piece = '1'.repeat(1000);
    const started = performance.now();
    // 10 MB in 10,000 pieces: re-joining the pending text at every piece would copy 50 GB.
    for (let i = 0; i < 10_000; i++) reader.push(piece);
    expect(() => reader.push('\n')).toThrow('d.csv: row 1, column 1: "1111111111111111111111111111111111111111…" is outside the float32 range');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('a line longer than the limit is refused while it arrives (a file without line ends)', () => {
    const reader = createCsvReader({ source: 'd.csv' }, 1000);
    reader.push('1,2\n3,');
    expect(() => {
      for (let i = 0; i < 10; i++) reader.push('4'.repeat(300));
    }).toThrow('d.csv: row 2 is longer than 1000 characters (is the file CSV, with "\\n" line ends?)');
  });

  it('a JSON row count over maxBytes is refused while reading, not after', () => {
    const text = `[${Array.from({ length: 1000 }, () => '[1,2]').join(',')}]`;
    expect(() => parseJsonRows(text, { source: 'd.json', maxBytes: 400 })).toThrow(
      'd.json: more than 400 bytes of float32 values (the maxBytes limit) at row 51',
    );
  });

  it('JSON nested 100,000 deep is refused with a DataFileError, also where JSON.parse overflows the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => parseJsonRows(deep, { source: 'd.json' })).toThrow(DataFileError);
    // Engines that parse recursively throw a RangeError (stack overflow) from JSON.parse.
    const parse = JSON.parse;
    JSON.parse = () => {
      throw new RangeError('Maximum call stack size exceeded');
    };
    try {
      expect(() => parseJsonRows(deep, { source: 'd.json' })).toThrow('d.json: invalid JSON: Maximum call stack size exceeded');
    } finally {
      JSON.parse = parse;
    }
  });

  it('an .npy header declaring 10^12 rows is refused before allocating, whatever the file length', () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000, 2), }";
    const bytes = new Uint8Array(10 + header.length + 1 + 8);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, (header.length + 1) & 255, (header.length + 1) >> 8]);
    for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
    bytes[10 + header.length] = 0x0a;
    expect(() => parseNpy(bytes, { source: 'd.npy' })).toThrow(
      'd.npy: shape (1000000000000, 2) needs 8000000000000 bytes as float32, more than the maxBytes limit (2147483648)',
    );
    expect(() => parseNpy(bytes, { source: 'd.npy', maxBytes: 2 ** 60 })).toThrow(
      "d.npy: the data section has 8 bytes but shape (1000000000000, 2) of '<f4' needs 8000000000000 (the file is truncated)",
    );
  });
});
