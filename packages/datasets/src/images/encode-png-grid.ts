// Samples laid out as a picture: rows × cols tiles of h × w pixels separated by a gutter,
// encoded as an 8-bit PNG (grey for c = 1, RGB for c = 3). Node only (pngjs uses zlib).
import { loadPngjs } from './load-pngjs.js';

/** What {@link encodePngGrid} draws: `rows` images of shape `[h, w, c]`, flat and row-major. */
export interface PngGridInput {
  rows: number;
  cols: number;
  values: Float32Array;
  /** `[h, w, c]` with c = 1 (grey) or 3 (RGB); product `cols`. */
  shape: readonly number[];
}

/** Options of {@link encodePngGrid}. */
export interface PngGridOptions {
  /** Tiles per row of the picture (default ⌈√n⌉). */
  columns?: number;
  /** Pixels between tiles and around them: 1 or 2 (default 2). */
  gutter?: 1 | 2;
  /** Grey level of the gutter in [0, 1] (default 0.5, visible against black and white digits). */
  gutterValue?: number;
}

const toByte = (v: number) => (v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0); // NaN → 0

/**
 * Encodes the images as one PNG: tile k (0-based) is image k, at grid row ⌊k / columns⌋ and
 * column k mod columns; ⌈n / columns⌉ grid rows; tiles of the last row beyond n stay gutter
 * grey. Picture size: columns·w + (columns + 1)·gutter by gridRows·h + (gridRows + 1)·gutter.
 * Values are clipped to [0, 1] (NaN counts as 0) and written as round(255·v). Bad options or a
 * shape that is not `[h, w, 1 | 3]` with product `cols` throw a RangeError naming the field.
 */
export function encodePngGrid(images: PngGridInput, options: PngGridOptions = {}): Uint8Array {
  const { rows: n, cols, values, shape } = images;
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`encodePngGrid: rows must be a positive integer, got ${String(n)}`);
  const valid = Array.isArray(shape) && shape.length === 3 && shape.every((d) => Number.isSafeInteger(d) && d > 0);
  if (!valid || shape[0]! * shape[1]! * shape[2]! !== cols || (shape[2] !== 1 && shape[2] !== 3)) {
    throw new RangeError(`encodePngGrid: shape must be [h, w, c] with c = 1 (grey) or 3 (RGB) and h·w·c = cols = ${cols}, got [${String(shape)}]`);
  }
  if (!(values instanceof Float32Array) || values.length !== n * cols) {
    throw new RangeError(`encodePngGrid: values must be a Float32Array of rows · cols = ${n * cols} numbers`);
  }
  const columns = options.columns ?? Math.ceil(Math.sqrt(n));
  if (!Number.isSafeInteger(columns) || columns < 1) throw new RangeError(`encodePngGrid: columns must be a positive integer, got ${String(columns)}`);
  const gutter = options.gutter ?? 2;
  if (gutter !== 1 && gutter !== 2) throw new RangeError(`encodePngGrid: gutter must be 1 or 2 pixels, got ${String(gutter)}`);
  const gutterValue = options.gutterValue ?? 0.5;
  if (!(gutterValue >= 0 && gutterValue <= 1)) throw new RangeError(`encodePngGrid: gutterValue must be in [0, 1], got ${String(gutterValue)}`);

  const [h, w, c] = shape as [number, number, 1 | 3];
  const gridColumns = Math.min(columns, n);
  const gridRows = Math.ceil(n / gridColumns);
  const width = gridColumns * w + (gridColumns + 1) * gutter;
  const height = gridRows * h + (gridRows + 1) * gutter;
  if (width * height > 2 ** 28) throw new RangeError(`encodePngGrid: the picture would be ${width}×${height} pixels, more than 2^28`);
  const pixels = Buffer.alloc(width * height * c, toByte(gutterValue));
  for (let k = 0; k < n; k++) {
    const top = gutter + Math.floor(k / gridColumns) * (h + gutter);
    const left = gutter + (k % gridColumns) * (w + gutter);
    for (let y = 0; y < h; y++) {
      const from = k * cols + y * w * c;
      const to = ((top + y) * width + left) * c;
      for (let x = 0; x < w * c; x++) pixels[to + x] = toByte(values[from + x] as number);
    }
  }
  const colorType = c === 1 ? 0 : 2;
  const PNG = loadPngjs();
  const png = new PNG({ width, height, colorType, inputColorType: colorType, inputHasAlpha: false, bitDepth: 8 });
  png.data = pixels;
  const encoded = PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false, bitDepth: 8 });
  return new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}
