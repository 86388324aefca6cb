// One PNG file to values in [0, 1]: grey (with or without alpha) → one channel, colour (RGB,
// RGBA or palette) → three; the alpha channel is dropped. Node only (pngjs uses zlib).
import { DataFileError } from '@pfm/core';
import { PNG } from 'pngjs';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const COLOR_TYPES: Record<number, string> = { 0: 'grey', 2: 'RGB', 3: 'palette', 4: 'grey + alpha', 6: 'RGBA' };
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

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
 * `DataFileError` (of `@pfm/core`) starting with `source`.
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
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipRescale: depth === 16 });
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
