import { describe, expect, it } from 'vitest';
import { decodeBase64 } from './base64.js';
import { DataFileError } from './data-file-error.js';
import { encodeNpy } from './encode-npy.js';
import { parseNpy } from './parse-npy.js';

// Reference files written by numpy 2.4.6, base64 of the exact bytes:
//   python3 -c "import numpy as np, io, base64; b = io.BytesIO(); np.save(b, A); print(base64.b64encode(b.getvalue()).decode())"
// (version 2.0 / 3.0 through np.lib.format.write_array(b, A, version=(2, 0)) and (3, 0)).
const NUMPY = {
  // A = np.array([[0.5, -1.25], [3, 1e-3], [-0.0, 65504]], '<f4')
  f4TwoD:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAA/AACgvwAAQEBvEoM6AAAAgADgf0c=',
  // A = np.array([0.1, -2.5, 1e30, 3.0], '<f8')
  f8OneD:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqamZmZmZm5PwAAAAAAAATA6oygOVk+KUYAAAAAAAAIQA==',
  // A = np.array([[1, 2], [3, 4]], '<f4'), version (2, 0)
  f4Version2:
    'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQAAAQEAAAIBA',
  // A = np.array([[1.5, -2, 7]], '<f8'), version (3, 0)
  f8Version3:
    'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMSwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAADAAAAAAAAAHEA=',
  // A = np.array([1, 2], '>f8')
  bigEndian:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPmY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/8AAAAAAAAEAAAAAAAAAA',
  // A = np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3))
  fortran:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=',
  // A = np.array([1, 2], '<i8')
  int64:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAAAAAAAAIAAAAAAAAA',
  // A = np.array([[1, 2], [np.nan, 4]], '<f4')
  nan:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQAAAwH8AAIBA',
  // A = np.array([1, np.inf], '<f8')
  inf:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADwPwAAAAAAAPB/',
  // A = np.array([1, 1e300], '<f8')
  beyondFloat32:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADwP5x1AIg85Dd+',
  // A = np.zeros((1, 1, 1), '<f4')
  threeD:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDEsIDEpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAA',
  // A = np.arange(12, dtype='<f4').reshape(2, 2, 3, 1) / 8
  f4FourD:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIsIDMsIDEpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAPgAAgD4AAMA+AAAAPwAAID8AAEA/AABgPwAAgD8AAJA/AACgPwAAsD8=',
  // A = np.arange(24, dtype='<f4').reshape(2, 2, 2, 3) / 24
  f4Rgb:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIsIDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAq6oqPauqqj0AAAA+q6oqPlVVVT4AAIA+VVWVPquqqj4AAMA+VVXVPquq6j4AAAA/q6oKP1VVFT8AACA/q6oqP1VVNT8AAEA/q6pKP1VVVT8AAGA/q6pqP1VVdT8=',
  // A = np.array([[[0.25, 1], [0.5, -3]]], '<f8')
  f8ThreeD:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADQPwAAAAAAAPA/AAAAAAAA4D8AAAAAAAAIwA==',
  // A = np.zeros((1, 1, 1, 1, 1), '<f4')
  f4FiveD:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDEsIDEsIDEsIDEpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAA',
  // A = np.zeros((1, 2, 2, 3), '<f4'); A[0, 1, 0, 2] = np.nan
  nanFourD:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDIsIDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwH8AAAAAAAAAAAAAAAA=',
  // A = np.array(1.0, '<f4')
  scalar:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/',
  // A = np.zeros((0, 2), '<f4')
  empty:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo=',
};
const npy = (name: keyof typeof NUMPY) => decodeBase64(NUMPY[name]);

// A .npy file built byte by byte from the format description (numpy.lib.format): magic, version,
// little-endian header length, header text, data. Python-2 era style: double quotes, long-int
// suffixes, no alignment padding.
function handMade(header: string, data: Uint8Array, version: [number, number] = [1, 0]): Uint8Array {
  const text = Array.from(header, (c) => c.charCodeAt(0));
  const lengthBytes = version[0] === 1 ? [text.length & 0xff, text.length >> 8] : [text.length & 0xff, (text.length >> 8) & 0xff, 0, 0];
  return new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, ...version, ...lengthBytes, ...text, ...data]);
}
const f64le = (...xs: number[]) => new Uint8Array(new Float64Array(xs).buffer);

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return (error as Error).message;
  }
  throw new Error('expected a DataFileError');
}

describe('parseNpy', () => {
  it('reads numpy float32 2-D (format 1.0)', () => {
    const t = parseNpy(npy('f4TwoD'));
    expect([t.rows, t.cols]).toEqual([3, 2]);
    expect(Array.from(t.values)).toEqual(Array.from(new Float32Array([0.5, -1.25, 3, 1e-3, -0, 65504])));
    expect(Object.is(t.values[4], -0)).toBe(true);
  });

  it('reads numpy float64 1-D as one column, rounded to float32', () => {
    const t = parseNpy(npy('f8OneD'));
    expect([t.rows, t.cols]).toEqual([4, 1]);
    expect(Array.from(t.values)).toEqual([Math.fround(0.1), -2.5, Math.fround(1e30), 3]);
  });

  it('reads formats 2.0 and 3.0', () => {
    expect(Array.from(parseNpy(npy('f4Version2')).values)).toEqual([1, 2, 3, 4]);
    const t = parseNpy(npy('f8Version3'));
    expect([t.rows, t.cols]).toEqual([1, 3]);
    expect(Array.from(t.values)).toEqual([1.5, -2, 7]);
  });

  it('reads a hand-made file: double quotes, long suffixes, no padding, unaligned data', () => {
    const bytes = handMade('{"descr": "<f8", "fortran_order": False, "shape": (2L, 1L)}\n', f64le(0.25, -8));
    const t = parseNpy(bytes);
    expect([t.rows, t.cols]).toEqual([2, 1]);
    expect(Array.from(t.values)).toEqual([0.25, -8]);
    // Same file read from an odd offset inside a larger buffer.
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(Array.from(parseNpy(shifted.subarray(3)).values)).toEqual([0.25, -8]);
  });

  it('encodeNpy writes exactly the bytes numpy writes, and reads back', () => {
    const table = { rows: 3, cols: 2, values: new Float32Array([0.5, -1.25, 3, 1e-3, -0, 65504]) };
    expect(Array.from(encodeNpy(table))).toEqual(Array.from(npy('f4TwoD')));
    const big = { rows: 1234, cols: 3, values: Float32Array.from({ length: 3702 }, (_, i) => Math.sin(i)) };
    const encoded = encodeNpy(big);
    expect((10 + (encoded[8] as number) + 256 * (encoded[9] as number)) % 64).toBe(0);
    const back = parseNpy(encoded);
    expect([back.rows, back.cols]).toEqual([1234, 3]);
    expect(Array.from(back.values)).toEqual(Array.from(big.values));
  });

  it('reads numpy images (n, h, w, c) as flat rows with shape [h, w, c]', () => {
    const grey = parseNpy(npy('f4FourD'));
    expect([grey.rows, grey.cols, grey.shape]).toEqual([2, 6, [2, 3, 1]]);
    expect(Array.from(grey.values)).toEqual(Array.from({ length: 12 }, (_, i) => i / 8));
    const rgb = parseNpy(npy('f4Rgb'));
    expect([rgb.rows, rgb.cols, rgb.shape]).toEqual([2, 12, [2, 2, 3]]);
    // C order: element [i, y, x, ch] is at row i, column (y·w + x)·c + ch.
    expect(rgb.values[1 * 12 + (1 * 2 + 0) * 3 + 2]).toBe(Math.fround((12 + 6 + 2) / 24));
    expect(rgb.values[23]).toBe(Math.fround(23 / 24));
  });

  it('reads (n, h, w) as grey images with one channel, and (n, d) without a shape', () => {
    const t = parseNpy(npy('f8ThreeD'));
    expect([t.rows, t.cols, t.shape]).toEqual([1, 4, [2, 2, 1]]);
    expect(Array.from(t.values)).toEqual([0.25, 1, 0.5, -3]);
    expect(parseNpy(npy('threeD')).shape).toEqual([1, 1, 1]);
    expect(parseNpy(npy('f4TwoD')).shape).toBeUndefined();
  });

  it('encodeNpy writes a table with a shape as (n, h, w, c), byte for byte as numpy, and reads it back', () => {
    const values = Float32Array.from({ length: 24 }, (_, i) => i / 24);
    const encoded = encodeNpy({ rows: 2, cols: 12, values, shape: [2, 2, 3] });
    expect(Array.from(encoded)).toEqual(Array.from(npy('f4Rgb')));
    const back = parseNpy(encoded);
    expect([back.rows, back.cols, back.shape]).toEqual([2, 12, [2, 2, 3]]);
    expect(Array.from(back.values)).toEqual(Array.from(values));
  });

  it('encodeNpy refuses a shape that does not describe the rows', () => {
    const values = new Float32Array(12);
    expect(() => encodeNpy({ rows: 2, cols: 6, values, shape: [2, 2, 2] })).toThrow(
      'encodeNpy: shape must be [h, w, c], three positive integers whose product is cols = 6, got [2, 2, 2]',
    );
    expect(() => encodeNpy({ rows: 2, cols: 6, values, shape: [6] })).toThrow(/shape must be \[h, w, c\].*got \[6\]/);
    expect(() => encodeNpy({ rows: 2, cols: 6, values, shape: [3, 2, 1.5 as number] })).toThrow(/got \[3, 2, 1.5\]/);
  });

  it('names the numpy index of a NaN in an image array', () => {
    expect(messageOf(() => parseNpy(npy('nanFourD'), { source: 'x.npy' }))).toBe(
      'x.npy: row 1, column 9 (numpy index [0, 1, 0, 2]): NaN is not allowed (NaN and Infinity are refused)',
    );
  });

  it('refuses what it cannot read, saying why', () => {
    const s = { source: 'x.npy' };
    expect(messageOf(() => parseNpy(new Uint8Array([1, 2, 3]), s))).toBe('x.npy: not a .npy file (it does not start with "\\x93NUMPY")');
    expect(messageOf(() => parseNpy(npy('bigEndian'), s))).toBe(
      "x.npy: big-endian data ('>f8') is not supported; convert it first, e.g. a.astype('<f8')",
    );
    expect(messageOf(() => parseNpy(npy('fortran'), s))).toBe(
      'x.npy: Fortran-ordered arrays are not supported; save np.ascontiguousarray(a) instead',
    );
    expect(messageOf(() => parseNpy(npy('int64'), s))).toBe(
      "x.npy: unsupported dtype '<i8' (expected '<f4' or '<f8'; convert with a.astype('<f4'))",
    );
    expect(messageOf(() => parseNpy(npy('f4FiveD'), s))).toBe(
      'x.npy: shape (1, 1, 1, 1, 1) has 5 dimensions (expected (n,), (n, d), (n, h, w) or (n, h, w, c))',
    );
    expect(messageOf(() => parseNpy(npy('scalar'), s))).toBe('x.npy: shape () has 0 dimensions (expected (n,), (n, d), (n, h, w) or (n, h, w, c))');
    expect(messageOf(() => parseNpy(npy('empty'), s))).toBe(
      'x.npy: shape (0, 2) holds no values (expected at least one row and one column)',
    );
    const wrongVersion = npy('f4TwoD').slice();
    wrongVersion[6] = 4;
    expect(messageOf(() => parseNpy(wrongVersion, s))).toBe('x.npy: unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)');
  });

  it('refuses NaN and Infinity, naming row, column and the numpy index', () => {
    const e = (() => {
      try {
        parseNpy(npy('nan'), { source: 'x.npy' });
      } catch (error) {
        return error as DataFileError;
      }
      throw new Error('expected an error');
    })();
    expect(e.message).toBe('x.npy: row 2, column 1 (numpy index [1, 0]): NaN is not allowed (NaN and Infinity are refused)');
    expect([e.row, e.column]).toEqual([2, 1]);
    expect(messageOf(() => parseNpy(npy('inf'), { source: 'x.npy' }))).toBe(
      'x.npy: row 2, column 1 (numpy index [1]): Infinity is not allowed (NaN and Infinity are refused)',
    );
    expect(messageOf(() => parseNpy(npy('beyondFloat32'), { source: 'x.npy' }))).toBe(
      'x.npy: row 2, column 1 (numpy index [1]): 1e+300 is outside the float32 range (|x| <= 3.4028235e38)',
    );
  });

  it('requires a data section of exactly the declared size', () => {
    const full = npy('f4TwoD');
    expect(messageOf(() => parseNpy(full.subarray(0, full.length - 1), { source: 'x.npy' }))).toBe(
      "x.npy: the data section has 23 bytes but shape (3, 2) of '<f4' needs 24 (the file is truncated)",
    );
    const longer = new Uint8Array(full.length + 4);
    longer.set(full);
    expect(messageOf(() => parseNpy(longer, { source: 'x.npy' }))).toBe(
      "x.npy: the data section has 28 bytes but shape (3, 2) of '<f4' needs 24 (trailing bytes)",
    );
    expect(messageOf(() => parseNpy(full.subarray(0, 60), { source: 'x.npy' }))).toBe(
      'x.npy: the .npy header is truncated (declares 118 bytes, the file has 50)',
    );
  });

  it('refuses an enormous declared shape before allocating anything', () => {
    const bytes = handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000000000), }\n", new Uint8Array(8));
    expect(messageOf(() => parseNpy(bytes, { source: 'x.npy' }))).toBe(
      'x.npy: shape (1000000000, 1000000000) needs 4000000000000000000 bytes as float32, more than the maxBytes limit (2147483648)',
    );
    expect(messageOf(() => parseNpy(npy('f4TwoD'), { source: 'x.npy', maxBytes: 20 }))).toBe(
      'x.npy: shape (3, 2) needs 24 bytes as float32, more than the maxBytes limit (20)',
    );
  });

  it('parses the header strictly and never evaluates it', () => {
    const data = f64le(1);
    const bad = (header: string) => messageOf(() => parseNpy(handMade(header, data), { source: 'x.npy' }));
    expect(bad("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}")).toBe(
      "x.npy: unexpected key 'extra' in the .npy header",
    );
    expect(bad("{'descr': '<f8', 'shape': (1,)}")).toBe("x.npy: the .npy header lacks 'fortran_order'");
    expect(bad("{'descr': '<f8', 'fortran_order': False, 'shape': [1]}")).toBe(
      "x.npy: 'shape' must be a tuple of non-negative integers",
    );
    expect(bad("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}")).toBe(
      "x.npy: 'shape' must be a tuple of non-negative integers",
    );
    expect(bad("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}")).toBe("x.npy: 'fortran_order' must be True or False");
    expect(bad("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,)}")).toMatch(/structured arrays are not supported/);
    expect(bad("{'descr': __import__('os').system('x'), 'fortran_order': False, 'shape': (1,)}")).toMatch(
      /^x\.npy: the \.npy header is not a valid dict literal: unexpected name "__import__" at character 11/,
    );
    expect(bad("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}")).toMatch(/duplicate key 'descr'/);
    expect(bad("{'descr': '<f8', 'fortran_order': False, 'shape': (1)}")).toMatch(/a one-item tuple needs a trailing comma/);
    expect(bad("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} junk")).toMatch(/unexpected text after the literal/);
  });
});
