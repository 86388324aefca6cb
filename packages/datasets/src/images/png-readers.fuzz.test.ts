// Property tests of the PNG readers (fast-check, fixed seeds): decodePng reads interlaced and
// plain files alike; a mutated file decodes to its declared size with values in [0, 1] or is
// refused with one DataFileError naming it; declared sizes and compressed data made to exhaust
// memory are refused before the allocation, data that end early before stale memory is read; readPngFolder names the file that is wrong.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { DataFileError } from '@pfm/core';
import { onOneBackend } from '@pfm/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eightBitPng, ihdrChunk, pngChunk, pngFile, scanlines } from '../test-support/hand-made-png.js';
import { decodePng } from './decode-png.js';
import { readPngFolder } from './read-png-folder.js';

/** Colour types of 8-bit images and their samples per pixel as stored. */
const COLOUR_SAMPLES: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** A small 8-bit image, its colour type and whether it is interlaced. */
const image = fc
  .record({ width: fc.integer({ min: 1, max: 11 }), height: fc.integer({ min: 1, max: 11 }), colorType: fc.constantFrom(0, 2, 4, 6), interlace: fc.boolean() })
  .chain((r) => {
    const n = r.width * r.height * COLOUR_SAMPLES[r.colorType]!;
    return fc.uint8Array({ minLength: n, maxLength: n }).map((pixels) => ({ ...r, pixels }));
  });
type Image = { width: number; height: number; colorType: number; interlace: boolean; pixels: Uint8Array };
const encode = (im: Image) => eightBitPng(im.width, im.height, im.colorType, COLOUR_SAMPLES[im.colorType]!, im.pixels, im.interlace);

/** Cut, flip, insert or delete bytes (positions as fractions of the length). */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 12 }) }),
);
type Edit = { kind: 'cut' | 'flip' | 'insert' | 'delete'; at: number; mask?: number; bytes?: Uint8Array; length?: number };
function edited(bytes: Uint8Array, edits: readonly Edit[]): Uint8Array {
  let out = Array.from(bytes);
  for (const e of edits) {
    const at = Math.min(out.length, Math.floor(e.at * (out.length + 1)));
    if (e.kind === 'cut') out = out.slice(0, at);
    else if (e.kind === 'flip') {
      if (at < out.length) out[at] = out[at]! ^ e.mask!;
    } else if (e.kind === 'insert') out.splice(at, 0, ...e.bytes!);
    else out.splice(at, e.length!);
  }
  return Uint8Array.from(out);
}

type Outcome = { width: number; height: number; channels: number; values: number[] } | { error: string; file: string };
/** decodePng's result, or its refusal, which must be a one-line DataFileError starting with `source`. */
function decoded(bytes: Uint8Array, source: string, maxPixels?: number): Outcome {
  try {
    const d = decodePng(bytes, { source, ...(maxPixels !== undefined ? { maxPixels } : {}) });
    return { width: d.width, height: d.height, channels: d.channels, values: Array.from(d.values) };
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    const message = (error as Error).message;
    expect(message.startsWith(`${source}: `), message).toBe(true);
    expect(message).not.toMatch(/[\r\n]/);
    return { error: message, file: (error as DataFileError).file };
  }
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pfm-png-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The readers make no tensors: the fuzzing runs in one backend project only.
const fuzzHere = onOneBackend('cpu');

describe.skipIf(!fuzzHere)('decodePng under fuzzing', () => {
  it('interlaced and plain files of the same pixels decode alike: v / 255, alpha dropped', () => {
    fc.assert(
      fc.property(image, (im) => {
        const samples = COLOUR_SAMPLES[im.colorType]!;
        const channels = samples >= 3 ? 3 : 1;
        const expected = Array.from({ length: im.width * im.height * channels }, (_, k) => Math.fround(im.pixels[Math.floor(k / channels) * samples + (k % channels)]! / 255));
        for (const interlace of [false, true]) {
          const got = decoded(encode({ ...im, interlace }), 'i.png');
          expect(got).toEqual({ width: im.width, height: im.height, channels, values: expected });
        }
      }),
      { seed: 401, numRuns: 150, endOnFailure: true },
    );
  });

  it('mutated files: the declared size with values in [0, 1], or one refusal naming the file', () => {
    fc.assert(
      fc.property(image, fc.array(edit, { minLength: 1, maxLength: 3 }), (im, edits) => {
        const bytes = edited(encode(im), edits);
        const started = performance.now();
        const got = decoded(bytes, 'm.png');
        expect(performance.now() - started).toBeLessThan(1000);
        if ('error' in got) return;
        // What decodes has the size its header declares now, and one value per pixel and channel.
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        expect([got.width, got.height]).toEqual([view.getUint32(16), view.getUint32(20)]);
        expect(got.values).toHaveLength(got.width * got.height * got.channels);
        for (const v of got.values) expect(v >= 0 && v <= 1).toBe(true);
      }),
      { seed: 402, numRuns: 500, endOnFailure: true },
    );
  });

  it('any declared size over little data: refused before decoding when over maxPixels, never a long inflate', () => {
    const size = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 2 ** 32 - 1 }), fc.constantFrom(4096, 4097, 65_535, 2 ** 31));
    fc.assert(
      // −1 stands for the exact length of the image's lines, when that is small.
      fc.property(size, size, fc.constantFrom(0, 2, 4, 6), fc.integer({ min: 0, max: 1 }), fc.oneof(fc.integer({ min: 0, max: 4096 }), fc.constant(-1)), (width, height, colorType, interlace, length) => {
        const exact = width * height <= 4096 ? scanlines(width, height, COLOUR_SAMPLES[colorType]!, new Uint8Array(width * height * 4), interlace === 1).length : -2;
        const zeros = length === -1 ? Math.max(0, exact) : length;
        const bytes = pngFile([ihdrChunk(width, height, 8, colorType, interlace), pngChunk('IDAT', deflateSync(new Uint8Array(zeros))), pngChunk('IEND', new Uint8Array(0))]);
        const started = performance.now();
        const got = decoded(bytes, 's.png', 2 ** 20);
        expect(performance.now() - started).toBeLessThan(1000);
        if (width * height > 2 ** 20) expect(got).toEqual({ error: `s.png: the PNG is ${width}×${height}, more than the limit of ${2 ** 20} pixels`, file: 's.png' });
        // Accepted exactly when the zeros are the image's filtered lines (filter 0, black); a
        // stream that ends early or runs on is refused, never filled with stale memory.
        const fits = zeros === exact;
        expect('error' in got, JSON.stringify(got).slice(0, 300)).toBe(!fits);
        if (!('error' in got)) expect(got.values.every((v) => v === 0)).toBe(true);
        else if (width * height <= 2 ** 20) expect(got.error).toMatch(/^s\.png: the image data inflate to \d+ bytes, (fewer|more) than the \d+ (a|an interlaced) \d+×\d+ PNG holds \(the file is truncated or corrupt\)$|^s\.png: the image data inflate to more than/);
      }),
      { seed: 403, numRuns: 300, endOnFailure: true },
    );
  });
});

describe('decodePng: compressed data made to exhaust memory', () => {
  // 64 MiB of zeros deflate to about 64 KiB.
  const bomb = deflateSync(new Uint8Array(64 * 2 ** 20));

  it('an interlaced 1×1 PNG whose data inflate to 64 MiB is refused at the 2 bytes it can hold, without inflating the rest', () => {
    const bytes = pngFile([ihdrChunk(1, 1, 8, 0, 1), pngChunk('IDAT', bomb), pngChunk('IEND', new Uint8Array(0))]);
    expect(bytes.length).toBeLessThan(100_000);
    const started = performance.now();
    expect(decoded(bytes, 'bomb.png')).toEqual({
      error: 'bomb.png: the image data inflate to more than the 2 bytes an interlaced 1×1 PNG holds (a corrupt file, or one made to exhaust memory)',
      file: 'bomb.png',
    });
    // Inflating all of it takes longer than stopping after the first block.
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('a plain 1×1 PNG with the same data is refused the same way', () => {
    const bytes = pngFile([ihdrChunk(1, 1, 8, 0, 0), pngChunk('IDAT', bomb), pngChunk('IEND', new Uint8Array(0))]);
    const started = performance.now();
    expect(decoded(bytes, 'plain.png')).toEqual({
      error: 'plain.png: the image data inflate to more than the 2 bytes a 1×1 PNG holds (a corrupt file, or one made to exhaust memory)',
      file: 'plain.png',
    });
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('data that end early are refused, not completed with stale memory (pngjs returned whatever its buffer held)', () => {
    // 65535 × 3 grey + alpha needs 3 · (1 + 2 · 65535) bytes; the stream holds 3.
    const bytes = pngFile([ihdrChunk(65_535, 3, 8, 4, 0), pngChunk('IDAT', deflateSync(new Uint8Array(3))), pngChunk('IEND', new Uint8Array(0))]);
    expect(decoded(bytes, 'short.png')).toEqual({
      error: 'short.png: the image data inflate to 3 bytes, fewer than the 393213 a 65535×3 PNG holds (the file is truncated or corrupt)',
      file: 'short.png',
    });
  });
});

describe.skipIf(!fuzzHere)('readPngFolder under fuzzing', () => {
  it('a folder with one mutated file: loads when it still decodes to the common size, else the refusal names the right file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 3 * 16, maxLength: 3 * 16 }),
        fc.integer({ min: 0, max: 2 }),
        fc.array(edit, { minLength: 1, maxLength: 2 }),
        async (pixels, which, edits) => {
          const folder = await mkdtemp(join(dir, 'folder-'));
          const names = ['a.png', 'b.png', 'c.png'];
          const files = names.map((_, i) => eightBitPng(4, 4, 0, 1, pixels.subarray(16 * i, 16 * (i + 1)), i === 1));
          files[which] = edited(files[which]!, edits);
          for (const [i, name] of names.entries()) await writeFile(join(folder, name), files[i]!);
          const alone = decoded(files[which]!, join(folder, names[which]!));
          let got: Outcome | { rows: number; values: number[] };
          try {
            const table = await readPngFolder(folder);
            got = { rows: table.rows, values: Array.from(table.values) };
          } catch (error) {
            expect(error).toBeInstanceOf(DataFileError);
            got = { error: (error as Error).message, file: (error as DataFileError).file };
          }
          if ('error' in alone) {
            // A file that does not decode: the folder's error is that file's own.
            expect(got).toEqual(alone);
          } else if (alone.width === 4 && alone.height === 4 && alone.channels === 1) {
            expect('rows' in got && got.rows).toBe(3);
            expect('values' in got && got.values.slice(16 * which, 16 * (which + 1))).toEqual(alone.values);
          } else {
            // Another size: the first file that differs from the first file is named.
            const named = which === 0 ? join(folder, 'b.png') : join(folder, names[which]!);
            expect('file' in got && got.file).toBe(named);
            expect('error' in got && got.error).toMatch(/\(every image of a folder must have one size\)$/);
          }
          await rm(folder, { recursive: true, force: true });
        },
      ),
      { seed: 404, numRuns: 80, endOnFailure: true },
    );
  });
});
