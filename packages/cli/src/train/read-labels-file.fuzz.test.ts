// Property tests of the labels reader behind --labels (fast-check, fixed seeds): any file either
// gives integer labels in 0…MAX_CONDITION_SIZE − 1 that are exactly the file's values, or is
// refused with one CliError naming the flag and the file once — never a wrapped-around label, a
// crash, or another exception.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { encodeDataFile, MAX_CONDITION_SIZE, type DataFormat } from '@pfm/core';
import { readDataFile } from '@pfm/core/node';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../cli/cli-error.js';
import { readLabelsFile } from './read-labels-file.js';

const dir = mkdtempSync(join(tmpdir(), 'pfm-labels-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What readLabelsFile gives: the labels, or the error's message after the `--labels PATH: ` it must start with. */
async function outcome(path: string, rows?: number): Promise<{ labels: number[] } | { error: string }> {
  try {
    return { labels: Array.from(await readLabelsFile(path, '--labels', rows)) };
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    const message = (error as Error).message;
    expect(message.startsWith(`--labels ${path}: `), message).toBe(true);
    const detail = message.slice(`--labels ${path}: `.length);
    // One line, and the path said once.
    expect(detail).not.toContain('\n');
    expect(detail.startsWith(`${path}: `), message).toBe(false);
    return { error: detail };
  }
}

/** A file's bytes with some bytes cut, flipped or inserted (positions as fractions of the length). */
const edits = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), mask: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.constantFrom('-', '.5', 'e9', '1e10', ',7', '\n', 'x', 'NaN', '4294967297', '-0', '\x00') }),
  ),
  { minLength: 1, maxLength: 3 },
);
function edited(bytes: Uint8Array, changes: readonly { kind: 'cut' | 'flip' | 'insert'; at: number; mask?: number; text?: string }[]): Uint8Array {
  let out = Array.from(bytes);
  for (const c of changes) {
    const at = Math.min(out.length, Math.floor(c.at * (out.length + 1)));
    if (c.kind === 'cut') out = out.slice(0, at);
    else if (c.kind === 'flip') {
      if (at < out.length) out[at] = out[at]! ^ c.mask!;
    } else out.splice(at, 0, ...Array.from(c.text!, (ch) => ch.charCodeAt(0)));
  }
  return Uint8Array.from(out);
}

const FORMATS: DataFormat[] = ['csv', 'json', 'npy'];

describe('readLabelsFile under fuzzing', () => {
  it('mutated label files in every format: the file\'s own integer labels, or one clear refusal', async () => {
    const labels = fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(labels, fc.constantFrom(...FORMATS), edits, async (ys, format, changes) => {
        const table = { rows: ys.length, cols: 1, values: Float32Array.from(ys), ...(format === 'csv' ? { header: ['label'] } : {}) };
        const path = join(dir, `y.${format}`);
        writeFileSync(path, edited(encodeDataFile(table, format), changes));
        const got = await outcome(path);
        if ('error' in got) return;
        // Accepted: exactly the values the data reader sees, each an integer label in range.
        const seen = await readDataFile(path);
        expect(seen.cols).toBe(1);
        expect(got.labels).toEqual(Array.from(seen.values));
        for (const y of got.labels) expect(Number.isInteger(y) && y >= 0 && y < MAX_CONDITION_SIZE).toBe(true);
      }),
      { seed: 301, numRuns: 300, endOnFailure: true },
    );
  });

  it('any number as a label: accepted exactly when it is an integer in 0…MAX_CONDITION_SIZE − 1, else refused naming its row, line and value', async () => {
    const value = fc.oneof(
      fc.integer({ min: -5, max: 30 }),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
      fc.constantFrom(MAX_CONDITION_SIZE - 1, MAX_CONDITION_SIZE, 2 ** 31, 2 ** 31 - 1, 2 ** 32 + 1, -(2 ** 31), 0.5, -0.5, 1e30),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 6 }), async (ys) => {
        const path = join(dir, 'numbers.csv');
        writeFileSync(path, `label\n${ys.map((y) => String(y)).join('\n')}\n`);
        const got = await outcome(path, ys.length);
        // The CSV reader keeps float32: the label is the value rounded to float32.
        const read = ys.map((y) => Math.fround(y) + 0); // + 0: an int32 label has no −0
        const bad = read.findIndex((y) => !(Number.isInteger(y) && y >= 0 && y < MAX_CONDITION_SIZE));
        if (bad < 0) {
          expect(got).toEqual({ labels: read });
        } else {
          expect(got).toEqual({ error: `row ${bad + 1} (line ${bad + 2}) holds ${read[bad]}, expected a class label (an integer in 0…${MAX_CONDITION_SIZE - 1})` });
        }
      }),
      { seed: 302, numRuns: 300, endOnFailure: true },
    );
  });

  it('a row count other than the data\'s is refused with both counts; a second column is refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), async (labels, rows) => {
        const path = join(dir, 'count.csv');
        writeFileSync(path, `label\n${Array.from({ length: labels }, (_, i) => i % 3).join('\n')}\n`);
        const got = await outcome(path, rows);
        if (labels === rows) expect('labels' in got && got.labels.length).toBe(rows);
        else expect(got).toEqual({ error: `has ${labels} labels, expected one per data row (${rows})` });
      }),
      { seed: 303, numRuns: 60, endOnFailure: true },
    );
    const two = join(dir, 'two.csv');
    writeFileSync(two, '0,1\n1,0\n');
    expect(await outcome(two)).toEqual({ error: 'expected one column of class labels, got 2 columns' });
  });
});

describe('readLabelsFile: hostile files', () => {
  it('4294967297 is not class 1: a label past the int32 range is refused, not wrapped around', async () => {
    const path = join(dir, 'wrap.csv');
    writeFileSync(path, 'label\n0\n4294967297\n');
    expect(await outcome(path, 2)).toEqual({ error: `row 2 (line 3) holds 4294967296, expected a class label (an integer in 0…${MAX_CONDITION_SIZE - 1})` });
    const npy = join(dir, 'wrap.npy');
    writeFileSync(npy, encodeDataFile({ rows: 2, cols: 1, values: Float32Array.from([2 ** 31, 1]) }, 'npy'));
    expect(await outcome(npy, 2)).toEqual({ error: `row 1 holds 2147483648, expected a class label (an integer in 0…${MAX_CONDITION_SIZE - 1})` });
  });

  it('an .npy of labels declaring 10^12 rows is refused at its header, naming the file once', async () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000,), }";
    const text = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
    const path = join(dir, 'huge.npy');
    writeFileSync(path, Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 0xff, text.length >> 8]), Buffer.from(text, 'latin1'), Buffer.alloc(8)]));
    expect(await outcome(path, 5)).toEqual({ error: 'shape (1000000000000,) needs 4000000000000 bytes as float32, more than the maxBytes limit (2147483648)' });
  });
});
