import { float32FromLittleEndian, float32ToLittleEndian } from './little-endian.js';

// Standard base64 (RFC 4648 §4, with '=' padding). Browser-safe; uses Node's Buffer when it is
// there because it is much faster, but validates the text itself first, since Buffer silently
// skips characters it does not know.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) CODES[ALPHABET.charCodeAt(i)] = i;
const VALID = /^[A-Za-z0-9+/]*={0,2}$/;

// Only what is used of Node's Buffer, looked up at run time so bundlers never pull in a polyfill.
interface NodeBufferStatic {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: 'base64'): string };
  from(text: string, encoding: 'base64'): Uint8Array;
}
const NodeBuffer = (globalThis as { Buffer?: NodeBufferStatic }).Buffer;

/** The number of bytes a valid base64 text of this length and padding decodes to. */
export function base64DecodedLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/** Encodes bytes as standard padded base64. */
export function encodeBase64(bytes: Uint8Array, options: { portable?: boolean } = {}): string {
  if (NodeBuffer && !options.portable) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const chunks: string[] = [];
  const CHUNK = 3 * 4096;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    let out = '';
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
      out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
    }
    if (i < end) {
      const a = bytes[i] as number;
      const b = i + 1 < end ? (bytes[i + 1] as number) : 0;
      const n = (a << 16) | (b << 8);
      out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
      out += i + 1 < end ? ALPHABET[(n >> 6) & 63]! + '=' : '==';
    }
    chunks.push(out);
  }
  return chunks.join('');
}

/**
 * Decodes standard padded base64, strictly: only the 64-letter alphabet, length a multiple of
 * 4, at most two '=' at the end, and unused trailing bits zero (so each byte string has exactly
 * one encoding). Throws a RangeError saying what is wrong.
 */
export function decodeBase64(text: string, options: { portable?: boolean } = {}): Uint8Array {
  if (typeof text !== 'string') throw new RangeError('base64: expected a string');
  if (text.length % 4 !== 0) throw new RangeError(`base64: length ${text.length} is not a multiple of 4`);
  if (!VALID.test(text)) {
    const bad = /[^A-Za-z0-9+/=]/.exec(text);
    throw new RangeError(
      bad ? `base64: invalid character ${JSON.stringify(bad[0])} at position ${bad.index}` : "base64: '=' may only appear at the end",
    );
  }
  const length = base64DecodedLength(text);
  const padding = text.length === 0 ? 0 : (text.length / 4) * 3 - length;
  if (padding > 0) {
    // Canonical form: the bits after the last byte must be zero.
    const last = CODES[text.charCodeAt(text.length - 1 - padding)] as number;
    if ((padding === 2 && (last & 15) !== 0) || (padding === 1 && (last & 3) !== 0)) {
      throw new RangeError('base64: non-zero padding bits (not a canonical encoding)');
    }
  }
  if (NodeBuffer && !options.portable) {
    const decoded = NodeBuffer.from(text, 'base64');
    // Small Buffers are slices of a shared pool: copy those, so `.buffer` holds only these bytes.
    if (decoded.byteLength !== decoded.buffer.byteLength) return new Uint8Array(decoded);
    return new Uint8Array(decoded.buffer, 0, decoded.byteLength);
  }
  const out = new Uint8Array(length);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const a = CODES[text.charCodeAt(i)] as number;
    const b = CODES[text.charCodeAt(i + 1)] as number;
    const c = text[i + 2] === '=' ? 0 : (CODES[text.charCodeAt(i + 2)] as number);
    const d = text[i + 3] === '=' ? 0 : (CODES[text.charCodeAt(i + 3)] as number);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    if (o < length) out[o++] = (n >> 8) & 255;
    if (o < length) out[o++] = n & 255;
  }
  return out;
}

/** Encodes float32 values as base64 of their little-endian bytes (4 bytes per value). */
export function encodeFloat32Base64(values: Float32Array): string {
  return encodeBase64(float32ToLittleEndian(values));
}

/**
 * Decodes base64 of little-endian float32 bytes. With `count`, the text must hold exactly
 * `count` values; its length is checked before anything is decoded or allocated.
 */
export function decodeFloat32Base64(text: string, count?: number): Float32Array {
  if (typeof text !== 'string') throw new RangeError('base64: expected a string');
  if (count !== undefined) {
    const expectedChars = 4 * Math.ceil((count * 4) / 3);
    if (text.length !== expectedChars) {
      throw new RangeError(
        `base64: ${text.length} characters, expected ${expectedChars} for ${count} float32 values (${count * 4} bytes)`,
      );
    }
  }
  const bytes = decodeBase64(text);
  if (bytes.length % 4 !== 0) throw new RangeError(`base64: ${bytes.length} bytes is not a whole number of float32 values`);
  if (count !== undefined && bytes.length !== count * 4) {
    throw new RangeError(`base64: decodes to ${bytes.length} bytes, expected ${count * 4} (${count} float32 values)`);
  }
  return float32FromLittleEndian(bytes, 0, bytes.length / 4);
}
