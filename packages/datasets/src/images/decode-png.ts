// One PNG file to values in [0, 1]: grey (with or without alpha) → one channel, colour (RGB,
// RGBA or palette) → three; the alpha channel is dropped. Node only (pngjs uses zlib).
import { inflateSync } from 'node:zlib';
import { DataFileError } from '@pfm/core';
import type { PNG } from 'pngjs';
import { loadPngjs } from './load-pngjs.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const COLOR_TYPES: Record<number, string> = { 0: 'grey', 2: 'RGB', 3: 'palette', 4: 'grey + alpha', 6: 'RGBA' };
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
/** Samples per pixel as stored, by colour type. */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** The seven passes of Adam7 interlacing: first column and row, column and row steps (PNG spec §8.2). */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** A decoded image: `height · width · channels` values in [0, 1], row-major, channels last. */
export interface DecodedPng {
  width: number;
  height: number;
  /** 1 (grey) or 3 (RGB). */
  channels: 1 | 3;
  values: Float32Array;
}

/** Options of {@link decodePng}. */
export interface DecodePngOptions {
  /** Name in error messages (default `"image"`). */
  source?: string;
  /** Largest image accepted, in pixels (default 2^24, 4096 × 4096), checked before decoding. */
  maxPixels?: number;
}

/**
 * Decodes a PNG file's bytes. Every bit depth of the PNG specification is read: 1, 2, 4 and 8
 * bits give v / (2^depth − 1) through pngjs's scaling to 8 bits, 16 bits give v / 65535. Grey
 * and grey + alpha give one channel; RGB, RGBA and palette images give three; alpha is dropped.
 * The header (signature, size, colour type, bit depth) is checked before decoding; a file that
 * is not a PNG, is truncated or corrupt, or declares a depth its colour type cannot have is a
 * `DataFileError` (of `@pfm/core`) starting with `source`. The inflated image data may not
 * exceed what the declared size holds (interlaced images included): a small file cannot make a
 * large allocation.
 */
export function decodePng(bytes: Uint8Array, options: DecodePngOptions = {}): DecodedPng {
  const source = options.source ?? 'image';
  const maxPixels = options.maxPixels ?? 2 ** 24;
  const fail = (detail: string, cause?: unknown): never => {
    throw new DataFileError(`${source}: ${detail}`, { file: source, ...(cause === undefined ? {} : { cause }) });
  };
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) fail('not a PNG file (it does not start with the PNG signature)');
  // IHDR comes first: length (4), "IHDR" (4), width (4), height (4), bit depth (1), colour type (1).
  if (bytes.length < 33 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') fail('the PNG is truncated or has no IHDR header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const depth = bytes[24] as number;
  const colorType = bytes[25] as number;
  if (width === 0 || height === 0) fail(`the PNG declares a size of ${width}×${height} (expected at least 1×1)`);
  if (width * height > maxPixels) fail(`the PNG is ${width}×${height}, more than the limit of ${maxPixels} pixels`);
  const depths = DEPTHS[colorType];
  if (depths === undefined) fail(`unknown PNG colour type ${colorType} (expected 0 grey, 2 RGB, 3 palette, 4 grey + alpha or 6 RGBA)`);
  if (!depths!.includes(depth)) {
    fail(`bit depth ${depth} is not valid for a ${COLOR_TYPES[colorType]} PNG (expected ${depths!.join(', ')})`);
  }
  // pngjs inflates an interlaced image without a limit (a few hundred kilobytes of zeros become
  // gigabytes) and fills a plain image whose data end early with whatever its buffer held. So
  // the data are inflated here first, stopping just past the size the header declares, and must
  // be exactly that size.
  const bitsPerPixel = depth * SAMPLES[colorType]!;
  const interlaced = bytes[28] === 1;
  const expected = interlaced ? interlacedBytes(width, height, bitsPerPixel) : height * (1 + Math.ceil((width * bitsPerPixel) / 8));
  checkImageData(bytes, expected, `${interlaced ? 'an interlaced' : 'a'} ${width}×${height} PNG`, fail);
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    png = loadPngjs().sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipRescale: depth === 16 });
  } catch (error) {
    return fail(`not a readable PNG, truncated or corrupt (${(error as Error).message})`, error);
  }
  if (png.width !== width || png.height !== height) fail(`the PNG decodes to ${png.width}×${png.height}, not the ${width}×${height} it declares`);
  const channels: 1 | 3 = colorType === 0 || colorType === 4 ? 1 : 3;
  const scale = depth === 16 ? 65535 : 255;
  const rgba = png.data as ArrayLike<number>;
  if (rgba.length !== 4 * width * height) fail(`the PNG decodes to ${rgba.length} values, not the ${4 * width * height} of ${width}×${height} RGBA`);
  const values = new Float32Array(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < channels; c++) values[p * channels + c] = (rgba[4 * p + c] as number) / scale;
  }
  return { width, height, channels, values };
}

// Bytes of the filtered scanlines of an Adam7-interlaced image: per pass, one filter byte and
// ⌈columns · bits / 8⌉ bytes for each of its rows (PNG spec §8.2; empty passes have none).
function interlacedBytes(width: number, height: number, bitsPerPixel: number): number {
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const columns = Math.ceil((width - x0) / dx);
    const rows = Math.ceil((height - y0) / dy);
    if (columns > 0 && rows > 0) total += rows * (1 + Math.ceil((columns * bitsPerPixel) / 8));
  }
  return total;
}

// Inflates the IDAT chunks of `bytes`, stopping one byte past `expected`: the data must be
// exactly `expected` bytes. A chunk that runs past the end of the file ends the walk (pngjs then
// reports the file as truncated, if the data were not already found wrong here).
function checkImageData(bytes: Uint8Array, expected: number, what: string, fail: (detail: string, cause?: unknown) => never): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) break;
    if (type === 'IDAT') parts.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  let found: number;
  try {
    found = inflateSync(Buffer.concat(parts), { maxOutputLength: expected + 1 }).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return fail(`the image data inflate to more than the ${expected} bytes ${what} holds (a corrupt file, or one made to exhaust memory)`);
    }
    return fail(`not a readable PNG, truncated or corrupt (${(error as Error).message})`, error);
  }
  if (found !== expected) fail(`the image data inflate to ${found} bytes, ${found < expected ? 'fewer' : 'more'} than the ${expected} ${what} holds (the file is truncated or corrupt)`);
}
