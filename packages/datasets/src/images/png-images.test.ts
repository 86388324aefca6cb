import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, DataFileError } from '@pfm/core';
import { writeDataFile } from '@pfm/core/node';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset } from '../io/load-dataset.js';
import { decodePng } from './decode-png.js';
import { encodePngGrid } from './encode-png-grid.js';
import { readPngFolder } from './read-png-folder.js';
import { writePngGrid } from './write-png-grid.js';
import type { ImageDataset } from './image-dataset.js';
import { handMadePng } from '../test-support/hand-made-png.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pfm-png-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// A PNG written by pngjs from RGBA bytes, stored as `colorType` (0 grey, 2 RGB, 4 grey + alpha, 6 RGBA).
function pngOf(width: number, height: number, rgba: number[], colorType: 0 | 2 | 4 | 6 = 6): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  return PNG.sync.write(png, { colorType, inputColorType: 6, inputHasAlpha: true });
}
const grey = (width: number, height: number, levels: number[]) => pngOf(width, height, levels.flatMap((v) => [v, v, v, 255]), 0);

function failure(run: () => unknown): DataFileError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error('expected a DataFileError');
}
async function rejection(promise: Promise<unknown>): Promise<DataFileError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error('expected a DataFileError');
}

describe('decodePng', () => {
  it('reads grey as one channel and colour as three, dropping alpha, values / 255', () => {
    const g = decodePng(grey(2, 1, [0, 51]));
    expect([g.width, g.height, g.channels]).toEqual([2, 1, 1]);
    expect(Array.from(g.values)).toEqual([0, Math.fround(51 / 255)]);
    const rgba = decodePng(pngOf(1, 2, [255, 0, 51, 10, 0, 255, 0, 255], 6));
    expect([rgba.width, rgba.height, rgba.channels]).toEqual([1, 2, 3]);
    expect(Array.from(rgba.values)).toEqual([1, 0, Math.fround(0.2), 0, 1, 0]);
    expect(decodePng(pngOf(1, 1, [255, 255, 255, 128], 4)).channels).toBe(1);
    expect(decodePng(pngOf(1, 1, [1, 2, 3, 255], 2)).channels).toBe(3);
  });

  it('reads every valid bit depth: 1-bit and 2-bit grey, 16-bit grey', () => {
    // 1 bit: 8 pixels in one byte, 0b10110000.
    const one = decodePng(handMadePng(8, 1, 1, 0, [[0b10110000]]));
    expect(Array.from(one.values)).toEqual([1, 0, 1, 1, 0, 0, 0, 0]);
    // 2 bits: levels 0..3 → 0, 1/3, 2/3, 1.
    const two = decodePng(handMadePng(4, 1, 2, 0, [[0b00011011]]));
    expect(Array.from(two.values)).toEqual([0, 85 / 255, 170 / 255, 1].map(Math.fround));
    // 16 bits, big-endian: 0x0000, 0x8000, 0xffff → exact v / 65535 (not rounded to 8 bits).
    const sixteen = decodePng(handMadePng(3, 1, 16, 0, [[0, 0, 0x80, 0, 0xff, 0xff]]));
    expect(Array.from(sixteen.values)).toEqual([0, 32768 / 65535, 1].map(Math.fround));
  });

  it('refuses hostile input with one clear message: not a PNG, truncated, corrupt, impossible bit depth, huge', () => {
    const s = { source: 'x.png' };
    expect(failure(() => decodePng(new TextEncoder().encode('hello, not an image'), s)).message).toBe(
      'x.png: not a PNG file (it does not start with the PNG signature)',
    );
    const good = grey(4, 4, new Array(16).fill(9));
    expect(failure(() => decodePng(good.subarray(0, 20), s)).message).toBe('x.png: the PNG is truncated or has no IHDR header');
    expect(failure(() => decodePng(good.subarray(0, good.length - 16), s)).message).toMatch(/^x\.png: not a readable PNG, truncated or corrupt \(/);
    const corrupt = good.slice();
    corrupt[corrupt.length - 20] = (corrupt[corrupt.length - 20] as number) ^ 0xff; // inside IDAT: the CRC no longer matches
    expect(failure(() => decodePng(corrupt, s)).message).toMatch(/^x\.png: not a readable PNG, truncated or corrupt/);
    expect(failure(() => decodePng(handMadePng(1, 1, 3, 0, [[0]]), s)).message).toBe(
      'x.png: bit depth 3 is not valid for a grey PNG (expected 1, 2, 4, 8, 16)',
    );
    expect(failure(() => decodePng(handMadePng(1, 1, 4, 2, [[0, 0]]), s)).message).toBe(
      'x.png: bit depth 4 is not valid for a RGB PNG (expected 8, 16)',
    );
    expect(failure(() => decodePng(handMadePng(1, 1, 8, 5, [[0]]), s)).message).toMatch(/^x\.png: unknown PNG colour type 5/);
    expect(failure(() => decodePng(handMadePng(0, 1, 8, 0, [[]]), s)).message).toBe('x.png: the PNG declares a size of 0×1 (expected at least 1×1)');
    expect(failure(() => decodePng(handMadePng(70_000, 70_000, 8, 0, [[0]]), s)).message).toBe(
      'x.png: the PNG is 70000×70000, more than the limit of 16777216 pixels',
    );
  });
});

describe('encodePngGrid', () => {
  it('lays out n tiles in rows of K with a gutter, clips to [0, 1], grey or RGB', () => {
    // 5 grey images of 2×3 (h × w), values k/10 … with one below 0 and one above 1.
    const values = Float32Array.from({ length: 30 }, (_, i) => Math.floor(i / 6) / 4);
    values[0] = -3;
    values[29] = 7;
    const png = PNG.sync.read(Buffer.from(encodePngGrid({ rows: 5, cols: 6, values, shape: [2, 3, 1] }, { columns: 2, gutter: 1 })));
    expect([png.width, png.height, png.colorType]).toEqual([2 * 3 + 3, 3 * 2 + 4, 0]);
    const at = (x: number, y: number) => png.data[4 * (y * png.width + x)];
    expect(at(0, 0)).toBe(128); // gutter
    expect(at(1, 1)).toBe(0); // image 0, pixel (0, 0): −3 clipped to 0
    expect(at(2, 1)).toBe(0);
    expect(at(5, 1)).toBe(Math.round(0.25 * 255)); // image 1 starts at x = 1 + 3 + 1
    expect(at(1, 4)).toBe(Math.round(0.5 * 255)); // image 2: second grid row, y = 1 + 2 + 1
    expect(at(3, 8)).toBe(255); // image 4, its last pixel (row 1, col 2): 7 clipped to 1
    expect(at(6, 7)).toBe(128); // the empty sixth tile stays gutter grey
    // Default: ⌈√n⌉ columns and a 2-pixel gutter.
    const square = PNG.sync.read(Buffer.from(encodePngGrid({ rows: 5, cols: 6, values, shape: [2, 3, 1] })));
    expect([square.width, square.height]).toEqual([3 * 3 + 4 * 2, 2 * 2 + 3 * 2]);
    // RGB: channels kept in order.
    const rgb = PNG.sync.read(Buffer.from(encodePngGrid({ rows: 1, cols: 3, values: new Float32Array([1, 0, 0.2]), shape: [1, 1, 3] })));
    expect(rgb.colorType).toBe(2);
    expect(Array.from(rgb.data.subarray(4 * (2 * rgb.width + 2), 4 * (2 * rgb.width + 2) + 3))).toEqual([255, 0, 51]);
  });

  it('refuses what it cannot draw, naming the field', () => {
    const values = new Float32Array(8);
    expect(() => encodePngGrid({ rows: 2, cols: 4, values, shape: [2, 1, 2] })).toThrow(
      'encodePngGrid: shape must be [h, w, c] with c = 1 (grey) or 3 (RGB) and h·w·c = cols = 4, got [2,1,2]',
    );
    expect(() => encodePngGrid({ rows: 2, cols: 4, values, shape: [2, 2, 1] }, { columns: 0 })).toThrow('encodePngGrid: columns must be a positive integer, got 0');
    expect(() => encodePngGrid({ rows: 2, cols: 4, values, shape: [2, 2, 1] }, { gutter: 3 as 1 })).toThrow('encodePngGrid: gutter must be 1 or 2 pixels, got 3');
    expect(() => encodePngGrid({ rows: 3, cols: 4, values, shape: [2, 2, 1] })).toThrow('encodePngGrid: values must be a Float32Array of rows · cols = 12 numbers');
  });

  it('writePngGrid writes atomically and the picture reads back through decodePng', async () => {
    const path = join(dir, 'grid.png');
    const values = Float32Array.from({ length: 4 }, (_, i) => i / 3);
    await writePngGrid(path, { rows: 1, cols: 4, values, shape: [2, 2, 1] }, { gutter: 2 });
    const folder = await readPngFolder(dir);
    expect([folder.rows, folder.shape]).toEqual([1, [6, 6, 1]]);
    // Tile pixel (y, x) is at (2 + y, 2 + x) of the 6×6 picture.
    const pixel = (y: number, x: number) => folder.values[(2 + y) * 6 + 2 + x];
    expect([pixel(0, 0), pixel(0, 1), pixel(1, 0), pixel(1, 1)]).toEqual([0, 85, 170, 255].map((v) => Math.fround(v / 255)));
    expect(await readdir(dir)).toEqual(['grid.png']);
  });
});

describe('readPngFolder and loadDataset', () => {
  it('reads a folder of grey PNGs in name order into flat rows with shape [h, w, 1]; other files are ignored', async () => {
    await writeFile(join(dir, 'b.png'), grey(3, 2, [6, 5, 4, 3, 2, 1]));
    await writeFile(join(dir, 'a.PNG'), grey(3, 2, [0, 51, 102, 153, 204, 255]));
    await writeFile(join(dir, 'notes.txt'), 'not an image');
    await mkdir(join(dir, 'sub.png'));
    const table = await readPngFolder(dir);
    expect([table.rows, table.cols, table.shape, table.files]).toEqual([2, 6, [2, 3, 1], ['a.PNG', 'b.png']]);
    expect(Array.from(table.values.subarray(0, 6))).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1].map(Math.fround));
    expect(Array.from(table.values.subarray(6))).toEqual([6, 5, 4, 3, 2, 1].map((v) => Math.fround(v / 255)));
  });

  it('names the first file whose size or channels differ, its size and the expected one', async () => {
    await writeFile(join(dir, '1.png'), grey(3, 2, new Array(6).fill(0)));
    await writeFile(join(dir, '2.png'), grey(3, 2, new Array(6).fill(9)));
    await writeFile(join(dir, '3.png'), grey(2, 3, new Array(6).fill(9)));
    await writeFile(join(dir, '4.png'), grey(5, 5, new Array(25).fill(9)));
    const error = await rejection(readPngFolder(dir));
    expect(error.message).toBe(
      `${join(dir, '3.png')}: 2×3 with 1 channel (grey), expected 3×2 with 1 channel (grey) like 1.png (every image of a folder must have one size)`,
    );
    await rm(join(dir, '3.png'));
    await rm(join(dir, '4.png'));
    await writeFile(join(dir, '5.png'), pngOf(3, 2, new Array(24).fill(200), 6));
    expect((await rejection(readPngFolder(dir))).message).toMatch(/5\.png: 3×2 with 3 channels \(RGB\), expected 3×2 with 1 channel \(grey\) like 1\.png/);
  });

  it('refuses an empty folder, a missing one, a truncated file among good ones, and a table over maxBytes', async () => {
    expect((await rejection(readPngFolder(dir))).message).toBe(`${dir}: the folder holds no .png file`);
    expect((await rejection(readPngFolder(join(dir, 'none')))).message).toBe(`${join(dir, 'none')}: no such folder`);
    const good = grey(4, 4, new Array(16).fill(1));
    await writeFile(join(dir, 'a.png'), good);
    expect((await rejection(readPngFolder(dir, { maxBytes: 32 }))).message).toMatch(/1 images of 4×4 with 1 channel \(grey\) need 64 bytes as float32, more than the maxBytes limit \(32\)/);
    await writeFile(join(dir, 'b.png'), good.subarray(0, good.length - 16));
    expect((await rejection(readPngFolder(dir))).message).toMatch(new RegExp(`^${join(dir, 'b.png').replace(/[.\\]/g, '\\$&')}: not a readable PNG`));
  });

  it('loadDataset: a PNG folder and an .npy of images give image measures; rows stay flat', async () => {
    const before = tf.memory().numTensors;
    const images = join(dir, 'images');
    await mkdir(images);
    await writeFile(join(images, 'x.png'), pngOf(2, 1, [255, 0, 0, 255, 0, 0, 255, 255], 2));
    const fromFolder = (await loadDataset(images)) as ImageDataset;
    expect([fromFolder.size, fromFolder.dim, fromFolder.eventShape]).toEqual([1, 6, [1, 2, 3]]);
    expect(Array.from(fromFolder.data.dataSync())).toEqual([1, 0, 0, 0, 0, 1]);
    fromFolder.dispose();

    const npy = join(dir, 'images.npy');
    await writeDataFile(npy, { rows: 3, cols: 4, values: Float32Array.from({ length: 12 }, (_, i) => i / 11), shape: [2, 2, 1] });
    const fromNpy = (await loadDataset(npy)) as ImageDataset;
    expect([fromNpy.size, fromNpy.dim, fromNpy.eventShape]).toEqual([3, 4, [2, 2, 1]]);
    const drawn = fromNpy.sample(5, createRng(0));
    expect(drawn.shape).toEqual([5, 4]);
    drawn.dispose();
    fromNpy.dispose();

    const flat = join(dir, 'flat.csv');
    await writeDataFile(flat, { rows: 3, cols: 4, values: new Float32Array(12), shape: [2, 2, 1] });
    const fromCsv = await loadDataset(flat);
    expect('eventShape' in fromCsv).toBe(false);
    fromCsv.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
