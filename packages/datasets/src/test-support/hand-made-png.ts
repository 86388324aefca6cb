// PNG files built chunk by chunk from the specification (W3C PNG, 2nd ed.), for the tests of the
// readers: bit depths and interlacing that pngjs does not write, and files made to be hostile.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 of `bytes` (ISO 3309, as PNG chunks use). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One chunk: length, type, data and the CRC of type and data. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Array.from(type, (ch) => ch.charCodeAt(0)), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** The signature, then the chunks. */
export function pngFile(chunks: Uint8Array[]): Uint8Array {
  const parts = [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** An IHDR chunk: size, bit depth, colour type and interlace method (0 none, 1 Adam7). */
export function ihdrChunk(width: number, height: number, depth: number, colorType: number, interlace = 0): Uint8Array {
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([depth, colorType, 0, 0, interlace], 8);
  return pngChunk('IHDR', ihdr);
}

/** A PNG of the given scanlines (bytes of one row each), filter type 0 on every line, not interlaced. */
export function handMadePng(width: number, height: number, depth: number, colorType: number, scanlines: number[][]): Uint8Array {
  const raw = Uint8Array.from(scanlines.flatMap((line) => [0, ...line]));
  return pngFile([ihdrChunk(width, height, depth, colorType), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', new Uint8Array(0))]);
}

/** The seven passes of Adam7: first column and row, column and row steps. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/**
 * The filtered scanlines of an 8-bit image of `samples` samples per pixel
 * (`pixels[(y · width + x) · samples + s]`), filter type 0: Adam7-interlaced when `interlace`
 * (each pass a sub-image with its own filter bytes, §8.2), plain otherwise.
 */
export function scanlines(width: number, height: number, samples: number, pixels: ArrayLike<number>, interlace: boolean): Uint8Array {
  const lines: number[] = [];
  const passes = interlace ? ADAM7 : ([[0, 0, 1, 1]] as const);
  for (const [x0, y0, dx, dy] of passes) {
    for (let y = y0; y < height; y += dy) {
      if (x0 >= width) break;
      lines.push(0);
      for (let x = x0; x < width; x += dx) for (let s = 0; s < samples; s++) lines.push(pixels[(y * width + x) * samples + s] as number);
    }
  }
  return Uint8Array.from(lines);
}

/** An 8-bit PNG of `colorType` with the pixels of {@link scanlines}. */
export function eightBitPng(width: number, height: number, colorType: number, samples: number, pixels: ArrayLike<number>, interlace: boolean): Uint8Array {
  const idat = deflateSync(scanlines(width, height, samples, pixels, interlace));
  return pngFile([ihdrChunk(width, height, 8, colorType, interlace ? 1 : 0), pngChunk('IDAT', idat), pngChunk('IEND', new Uint8Array(0))]);
}
