// Images laid out as one picture, as the command line's `pfm sample --grid` draws them: tile k
// at grid row ⌊k / columns⌋ and column k mod columns, a grey gutter between and around tiles,
// values clipped to [0, 1] and written as round(255·v) (NaN as 0).

/** Images to lay out: `rows` flat rows of `cols` = h·w·c values with their `shape` `[h, w, c]`. */
export interface ImageRows {
  rows: number;
  cols: number;
  values: Float32Array;
  shape: readonly number[];
}

/** The picture: RGBA pixels, its size, and where tiles are. */
export interface ImageGridPicture {
  width: number;
  height: number;
  /** `width · height · 4` bytes, RGBA, opaque. */
  pixels: Uint8ClampedArray<ArrayBuffer>;
  columns: number;
  gutter: number;
}

const GUTTER_GREY = 128;
const toByte = (v: number) => (v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0);

/**
 * Lays out the first `count` images (default all) as RGBA pixels: grey c = 1 repeats its value in
 * red, green and blue; RGB c = 3 copies them. A shape that is not `[h, w, 1 | 3]` with product
 * `cols`, or a `count` above `rows`, throws a RangeError naming the field and the value.
 */
export function imageGridPixels(images: ImageRows, options: { count?: number; columns?: number; gutter?: number } = {}): ImageGridPicture {
  const { cols, values, shape } = images;
  const valid = shape.length === 3 && shape.every((d) => Number.isSafeInteger(d) && d > 0);
  if (!valid || shape[0]! * shape[1]! * shape[2]! !== cols || (shape[2] !== 1 && shape[2] !== 3)) {
    throw new RangeError(`image grid: shape must be [h, w, c] with c = 1 (grey) or 3 (RGB) and h·w·c = ${cols}, got [${shape.join(', ')}]`);
  }
  const count = options.count ?? images.rows;
  if (!Number.isSafeInteger(count) || count < 0 || count > images.rows || values.length < count * cols) {
    throw new RangeError(`image grid: count must be an integer from 0 to ${images.rows} (the rows given), got ${count}`);
  }
  const [h, w, c] = shape as [number, number, number];
  const gutter = options.gutter ?? 1;
  const columns = Math.max(1, Math.min(options.columns ?? Math.ceil(Math.sqrt(count)), Math.max(count, 1)));
  const gridRows = Math.max(1, Math.ceil(count / columns));
  const width = columns * w + (columns + 1) * gutter;
  const height = gridRows * h + (gridRows + 1) * gutter;
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < pixels.length; i += 4) {
    pixels[i] = pixels[i + 1] = pixels[i + 2] = GUTTER_GREY;
    pixels[i + 3] = 255;
  }
  for (let k = 0; k < count; k++) {
    const top = gutter + Math.floor(k / columns) * (h + gutter);
    const left = gutter + (k % columns) * (w + gutter);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const from = k * cols + (y * w + x) * c;
        const to = ((top + y) * width + left + x) * 4;
        for (let ch = 0; ch < 3; ch++) pixels[to + ch] = toByte(values[from + (c === 1 ? 0 : ch)]!);
      }
    }
  }
  return { width, height, pixels, columns, gutter };
}
