// Property tests of the .npy reader on image arrays (fast-check, fixed seeds): (n, h, w, c) and
// (n, h, w) files round-trip, mutated files load with their own values or are refused with a
// DataFileError naming the file, the streaming file reader agrees with the in-memory one, and a
// header declaring a huge shape or another dtype is refused before anything is allocated.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from './data-file-error.js';
import { encodeNpy } from './encode-npy.js';
import { applyMutations, float32, fuzzHere, fuzzParameters, mutation } from './fuzz-support.js';
import { parseNpy } from './parse-npy.js';
import { readDataFile } from './read-data-file.js';

/** A table of `rows` images of [h, w, c] with finite float32 values. */
const imageTable = fc
  .record({ rows: fc.integer({ min: 1, max: 5 }), h: fc.integer({ min: 1, max: 5 }), w: fc.integer({ min: 1, max: 5 }), c: fc.integer({ min: 1, max: 4 }) })
  .chain(({ rows, h, w, c }) =>
    fc.array(float32, { minLength: rows * h * w * c, maxLength: rows * h * w * c }).map((v) => ({ rows, cols: h * w * c, values: new Float32Array(v), shape: [h, w, c] })),
  );

/** A .npy file of format 1.0 with `header` (the dict literal) and `data` after it, padded as numpy pads. */
function npyWith(header: string, data: Uint8Array): Uint8Array {
  const length = header.length + 1 + ((64 - ((10 + header.length + 1) % 64)) % 64);
  const text = header.padEnd(length - 1, ' ') + '\n';
  const bytes = new Uint8Array(10 + text.length + data.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 0xff, text.length >> 8]);
  for (let i = 0; i < text.length; i++) bytes[10 + i] = text.charCodeAt(i);
  bytes.set(data, 10 + text.length);
  return bytes;
}

const bitsOf = (values: Float32Array) => Array.from(values, (v) => (Object.is(v, -0) ? '-0' : String(v)));

/** What parsing gives, comparable with toEqual: the table or the error (which must be a DataFileError naming `source`). */
function outcomeOf(run: () => { rows: number; cols: number; values: Float32Array; shape?: number[] }, source: string): unknown {
  try {
    const t = run();
    return { rows: t.rows, cols: t.cols, shape: t.shape, values: bitsOf(t.values) };
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).message.startsWith(`${source}: `), (error as Error).message).toBe(true);
    expect((error as DataFileError).file).toBe(source);
    return { error: (error as Error).message.slice(source.length) };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'pfm-npy-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!fuzzHere)('the .npy reader on images, under fuzzing', () => {
  it('round trip: (n, h, w, c) comes back with shape [h, w, c] bit for bit; (n, h, w) reads as c = 1', () => {
    fc.assert(
      fc.property(imageTable, (table) => {
        const back = parseNpy(encodeNpy(table), { source: 'i.npy' });
        expect([back.rows, back.cols, back.shape]).toEqual([table.rows, table.cols, table.shape]);
        expect(bitsOf(back.values)).toEqual(bitsOf(table.values));
        if (table.shape[2] === 1) {
          const [h, w] = table.shape;
          const data = new Uint8Array(table.values.buffer.slice(0));
          const grey = parseNpy(npyWith(`{'descr': '<f4', 'fortran_order': False, 'shape': (${table.rows}, ${h}, ${w}), }`, data), { source: 'g.npy' });
          expect([grey.shape, bitsOf(grey.values)]).toEqual([[h, w, 1], bitsOf(table.values)]);
        }
      }),
      fuzzParameters(201, 200),
    );
  });

  it('mutated image files: the file reader and parseNpy agree; what loads is the file\'s own trailing values', async () => {
    await fc.assert(
      fc.asyncProperty(imageTable, fc.array(mutation(fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), async (table, ms) => {
        const bytes = applyMutations(encodeNpy(table), ms);
        const path = join(dir, 'm.npy');
        writeFileSync(path, bytes);
        const inMemory = outcomeOf(() => parseNpy(bytes, { source: path }), path);
        let fromFile: unknown;
        try {
          const t = await readDataFile(path);
          fromFile = { rows: t.rows, cols: t.cols, shape: t.shape, values: bitsOf(t.values) };
        } catch (error) {
          fromFile = outcomeOf(() => {
            throw error;
          }, path);
        }
        expect(fromFile).toEqual(inMemory);
        if ('error' in (inMemory as object)) return;
        const t = inMemory as { rows: number; cols: number; shape?: number[]; values: string[] };
        if (t.shape) expect(t.shape.reduce((a, b) => a * b, 1)).toBe(t.cols);
        // float32 data: the last rows · cols · 4 bytes are the values (a float64 header reads 8 per value).
        const n = t.rows * t.cols;
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const as32 = bytes.length >= 4 * n ? bitsOf(Float32Array.from({ length: n }, (_v, k) => view.getFloat32(bytes.length - 4 * n + 4 * k, true))) : undefined;
        const as64 = bytes.length >= 8 * n ? bitsOf(Float32Array.from({ length: n }, (_v, k) => view.getFloat64(bytes.length - 8 * n + 8 * k, true))) : undefined;
        expect([as32, as64].some((v) => v !== undefined && v.join() === t.values.join())).toBe(true);
      }),
      fuzzParameters(202, 150),
    );
  });

  it('headers of any dtype, order and shape over an 8-byte data section: refused unless they describe exactly those bytes, huge shapes before allocating', () => {
    const descr = fc.constantFrom('<f4', '<f8', '>f4', '>f8', '<f2', '<i4', '<i8', '|u1', '|b1', '<c8', '|O', 'float32', '');
    const dim = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom(65_536, 2 ** 31, 2 ** 40, 2 ** 53), fc.bigInt({ min: 10n ** 15n, max: 10n ** 30n }));
    fc.assert(
      fc.property(descr, fc.boolean(), fc.array(dim, { minLength: 0, maxLength: 6 }), (d, fortran, shape) => {
        const text = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
        const bytes = npyWith(`{'descr': '${d}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${text}, }`, new Uint8Array(8).fill(0x3f));
        const started = performance.now();
        const result = outcomeOf(() => parseNpy(bytes, { source: 'h.npy', maxBytes: 1 << 20 }), 'h.npy');
        expect(performance.now() - started).toBeLessThan(500);
        const dims = shape.map(Number);
        const values = dims.slice(1).reduce((a, b) => a * b, dims[0] ?? 0);
        const fits = (d === '<f4' && values * 4 === 8) || (d === '<f8' && values * 8 === 8);
        const accepted = !fortran && dims.length >= 1 && dims.length <= 4 && dims.every((x) => x > 0) && fits;
        expect('error' in (result as object), JSON.stringify(result)).toBe(!accepted);
        if (accepted) return;
        const message = (result as { error: string }).error;
        // Each refusal says what was wrong: an integer past 2^53 − 1, the dtype, the order, the
        // rank, an empty or huge shape, or the length.
        if (shape.some((x) => BigInt(x) > BigInt(Number.MAX_SAFE_INTEGER))) expect(message).toMatch(/integer \d+ is too large/);
        else if (!['<f4', '<f8'].includes(d)) expect(message).toMatch(/dtype|big-endian/);
        else if (fortran) expect(message).toMatch(/Fortran/);
        else if (dims.length < 1 || dims.length > 4) expect(message).toMatch(/dimensions/);
        else if (dims.includes(0)) expect(message).toMatch(/holds no values/);
        else if (values * 4 > 1 << 20) expect(message).toMatch(/more than the maxBytes limit \(1048576\)$/);
        else expect(message).toMatch(/the data section has 8 bytes but shape .* needs \d+/);
      }),
      fuzzParameters(203, 600),
    );
  });
});

describe('the .npy reader on images: hostile headers', () => {
  it('an image array declaring 2^40 images of 28×28 is refused at the header, by the file reader too, whatever the file holds', async () => {
    const bytes = npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 28, 28, 1), }", new Uint8Array(16));
    const expected = 'shape (1099511627776, 28, 28, 1) needs 3448068464705536 bytes as float32, more than the maxBytes limit (2147483648)';
    expect(() => parseNpy(bytes, { source: 'huge.npy' })).toThrow(`huge.npy: ${expected}`);
    const path = join(dir, 'huge.npy');
    writeFileSync(path, bytes);
    await expect(readDataFile(path)).rejects.toThrow(`${path}: ${expected}`);
  });

  it('uint8 images, the usual MNIST dtype, are refused with the conversion to make', () => {
    const bytes = npyWith("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 2), }", new Uint8Array(8));
    expect(() => parseNpy(bytes, { source: 'u8.npy' })).toThrow("u8.npy: unsupported dtype '|u1' (expected '<f4' or '<f8'; convert with a.astype('<f4'))");
  });
});
