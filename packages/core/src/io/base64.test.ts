import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeFloat32Base64, encodeBase64, encodeFloat32Base64 } from './base64.js';
import { float32FromLittleEndian, float32ToLittleEndian } from './little-endian.js';

// RFC 4648 §10 test vectors.
const VECTORS: [string, string][] = [
  ['', ''],
  ['f', 'Zg=='],
  ['fo', 'Zm8='],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg=='],
  ['fooba', 'Zm9vYmE='],
  ['foobar', 'Zm9vYmFy'],
];
const ascii = (s: string) => new Uint8Array(Array.from(s, (c) => c.charCodeAt(0)));

describe('base64', () => {
  it('matches the RFC 4648 test vectors, with and without Buffer', () => {
    for (const portable of [false, true]) {
      for (const [plain, encoded] of VECTORS) {
        expect(encodeBase64(ascii(plain), { portable })).toBe(encoded);
        expect(Array.from(decodeBase64(encoded, { portable }))).toEqual(Array.from(ascii(plain)));
      }
    }
  });

  it('the portable coder agrees with Buffer on every byte value and length 0..40', () => {
    const bytes = Uint8Array.from({ length: 256 * 3 + 40 }, (_, i) => (i * 131 + (i >> 8)) & 255);
    for (let n = 0; n <= 40; n++) {
      const slice = bytes.subarray(n, n + 256 * 3 - n);
      const text = encodeBase64(slice, { portable: true });
      expect(text).toBe(Buffer.from(slice).toString('base64'));
      expect(Buffer.from(decodeBase64(text, { portable: true })).equals(Buffer.from(slice))).toBe(true);
    }
  });

  it('encodes float32 little-endian: 1.0 is 00 00 80 3f', () => {
    expect(encodeFloat32Base64(new Float32Array([1]))).toBe(Buffer.from([0, 0, 0x80, 0x3f]).toString('base64'));
    const values = new Float32Array([0.1, -2, 3e38, -0, 1e-45]);
    const back = decodeFloat32Base64(encodeFloat32Base64(values), 5);
    Array.from(values).forEach((v, i) => expect(Object.is(back[i], v)).toBe(true));
    // A view into a larger buffer encodes only its own bytes.
    const view = new Float32Array([9, 1, 2, 9]).subarray(1, 3);
    expect(Array.from(decodeFloat32Base64(encodeFloat32Base64(view)))).toEqual([1, 2]);
  });

  it('byte order: the DataView path (big-endian platforms) gives the same bytes as the native one', () => {
    const values = new Float32Array([1, -0.1, 3e38, 1e-45]);
    const native = float32ToLittleEndian(values);
    const portable = float32ToLittleEndian(values, false);
    expect(Array.from(portable)).toEqual(Array.from(native));
    expect(Array.from(portable.subarray(0, 4))).toEqual([0, 0, 0x80, 0x3f]);
    const shifted = new Uint8Array(portable.length + 1);
    shifted.set(portable, 1);
    expect(Array.from(float32FromLittleEndian(shifted, 1, 4, false))).toEqual(Array.from(values));
    expect(Array.from(float32FromLittleEndian(shifted, 1, 4, true))).toEqual(Array.from(values));
  });

  it('decoded bytes own their buffer (no view into a shared pool)', () => {
    expect(decodeBase64('Zm9v').buffer.byteLength).toBe(3);
  });

  it('refuses invalid text strictly', () => {
    expect(() => decodeBase64('Zm9')).toThrow('base64: length 3 is not a multiple of 4');
    expect(() => decodeBase64('Zm9v Zg==')).toThrow('base64: length 9 is not a multiple of 4');
    expect(() => decodeBase64('Zm9*')).toThrow('base64: invalid character "*" at position 3');
    expect(() => decodeBase64('Zg==Zm9v')).toThrow("base64: '=' may only appear at the end");
    expect(() => decodeBase64('Zh==')).toThrow('base64: non-zero padding bits (not a canonical encoding)');
    expect(() => decodeBase64('Zm9=')).toThrow('base64: non-zero padding bits (not a canonical encoding)');
  });

  it('checks the float count before decoding', () => {
    const text = encodeFloat32Base64(new Float32Array(3));
    expect(() => decodeFloat32Base64(text, 4)).toThrow('base64: 16 characters, expected 24 for 4 float32 values (16 bytes)');
    expect(() => decodeFloat32Base64(text, 2)).toThrow('base64: 16 characters, expected 12 for 2 float32 values (8 bytes)');
    expect(() => decodeFloat32Base64('Zm9v')).toThrow('base64: 3 bytes is not a whole number of float32 values');
  });
});
