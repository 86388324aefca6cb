// The layout of a NumPy .npy file (internal), read from its first bytes: shared by parseNpy, which
// has the whole file, and readDataFile, which reads the header first and then the data straight
// into the table's array.
//
// NumPy .npy layout (numpy.lib.format, NEP 1): "\x93NUMPY", major, minor, header length
// (uint16 LE for 1.0, uint32 LE for 2.0/3.0), a Python dict literal
// {'descr': …, 'fortran_order': …, 'shape': (…)} padded with spaces and '\n', then the raw data.
import { DataFileError } from './data-file-error.js';
import { float32FromLittleEndian, PLATFORM_LITTLE_ENDIAN } from './little-endian.js';
import { parsePythonLiteral, type PythonValue } from './python-literal.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const MAX_HEADER_BYTES = 65_536;
const ITEM_SIZES: Record<string, 4 | 8> = { '<f4': 4, '<f8': 8 };

/** Enough leading bytes of a .npy file to hold the longest header accepted. */
export const NPY_MAX_PREFIX_BYTES = 12 + MAX_HEADER_BYTES;

/** What the header of a .npy file declares, checked. */
export interface NpyLayout {
  rows: number;
  /** Values per row: d, or h·w·c for an image array. */
  cols: number;
  /** The rank of the array: (n,), (n, d), (n, h, w) or (n, h, w, c). */
  rank: 1 | 2 | 3 | 4;
  /** The shape of one row, `[h, w, c]`, for ranks 3 (c = 1) and 4; absent for ranks 1 and 2. */
  eventShape?: number[];
  /** The array's shape after the first axis, as the file declares it (for numpy indices in messages). */
  rowShape: number[];
  dtype: string;
  itemSize: 4 | 8;
  /** Byte offset of the data section. */
  dataStart: number;
  /** Bytes the data section must have: rows · cols · itemSize. */
  dataBytes: number;
  /** The shape as numpy prints it, for messages. */
  shapeText: string;
}

type Fail = (detail: string, where?: { row?: number; column?: number }) => never;

// A string of the header as it can be shown in a one-line message: control characters escaped.
function printable(text: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? (named[c] ?? `\\x${code.toString(16).padStart(2, '0')}`) : c;
  }
  return out;
}

function failFor(source: string): Fail {
  return (detail, where) => {
    throw new DataFileError(`${source}: ${detail}`, { file: source, ...where });
  };
}

/**
 * Reads and checks the header of a .npy file from its first bytes (the whole file, or at least
 * its first {@link NPY_MAX_PREFIX_BYTES}): magic, version, dtype, order, shape and the maxBytes
 * limit, all before any data is touched or allocated.
 */
export function readNpyLayout(bytes: Uint8Array, source: string, maxBytes: number): NpyLayout {
  const fail = failFor(source);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a .npy file (it does not start with "\\x93NUMPY")');

  const major = bytes[6] as number;
  const minor = bytes[7] as number;
  if (![1, 2, 3].includes(major) || minor !== 0) {
    fail(`unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix) fail('the .npy header is truncated');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_HEADER_BYTES) fail(`the .npy header declares ${headerLength} bytes (more than ${MAX_HEADER_BYTES})`);
  const dataStart = prefix + headerLength;
  if (dataStart > bytes.length) {
    fail(`the .npy header is truncated (declares ${headerLength} bytes, the file has ${bytes.length - prefix})`);
  }

  const headerBytes = bytes.subarray(prefix, dataStart);
  let headerText: string;
  if (major === 3) {
    try {
      headerText = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
    } catch {
      return fail('the .npy header is not valid UTF-8');
    }
  } else {
    headerText = '';
    for (const b of headerBytes) headerText += String.fromCharCode(b);
  }

  let header: PythonValue;
  try {
    header = parsePythonLiteral(headerText.trim());
  } catch (error) {
    return fail(`the .npy header is not a valid dict literal: ${(error as Error).message}`);
  }
  if (header.kind !== 'dict') return fail('the .npy header is not a dict');
  for (const key of header.entries.keys()) {
    if (!['descr', 'fortran_order', 'shape'].includes(key)) fail(`unexpected key '${printable(key)}' in the .npy header`);
  }
  const descr = header.entries.get('descr');
  const fortranOrder = header.entries.get('fortran_order');
  const shapeValue = header.entries.get('shape');
  if (!descr || !fortranOrder || !shapeValue) {
    const missing = ['descr', 'fortran_order', 'shape'].filter((k) => !header.entries.has(k));
    return fail(`the .npy header lacks ${missing.map((k) => `'${k}'`).join(', ')}`);
  }

  if (descr.kind !== 'str') return fail('unsupported dtype: structured arrays are not supported (expected \'<f4\' or \'<f8\')');
  const dtype = descr.value;
  if (/^>[fiuc]/.test(dtype)) {
    fail(`big-endian data ('${printable(dtype)}') is not supported; convert it first, e.g. a.astype('<f${printable(dtype.slice(2)) || 4}')`);
  }
  const itemSize = ITEM_SIZES[dtype];
  if (itemSize === undefined) fail(`unsupported dtype '${printable(dtype)}' (expected '<f4' or '<f8'; convert with a.astype('<f4'))`);

  if (fortranOrder.kind !== 'bool') return fail("'fortran_order' must be True or False");
  if (fortranOrder.value) fail('Fortran-ordered arrays are not supported; save np.ascontiguousarray(a) instead');

  if (shapeValue.kind !== 'tuple' || shapeValue.items.some((d) => d.kind !== 'int' || d.value < 0)) {
    return fail("'shape' must be a tuple of non-negative integers");
  }
  const shape = shapeValue.items.map((d) => (d as { value: number }).value);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  if (shape.length < 1 || shape.length > 4) {
    fail(`shape ${shapeText} has ${shape.length} dimensions (expected (n,), (n, d), (n, h, w) or (n, h, w, c))`);
  }
  if (shape.includes(0)) fail(`shape ${shapeText} holds no values (expected at least one row and one column)`);
  const rows = shape[0] as number;
  const rowShape = shape.slice(1);
  const cols = rowShape.reduce((a, b) => a * b, 1);
  // Checked before any allocation: the float32 table must fit the limit.
  if (rows * cols * 4 > maxBytes) {
    fail(`shape ${shapeText} needs ${rows * cols * 4} bytes as float32, more than the maxBytes limit (${maxBytes})`);
  }
  // (n, h, w) is a stack of grey images: one channel.
  const eventShape = shape.length === 3 ? [...rowShape, 1] : shape.length === 4 ? [...rowShape] : undefined;
  const dataBytes = rows * cols * (itemSize as number);
  return {
    rows,
    cols,
    rank: shape.length as 1 | 2 | 3 | 4,
    ...(eventShape ? { eventShape } : {}),
    rowShape,
    dtype,
    itemSize: itemSize as 4 | 8,
    dataStart,
    dataBytes,
    shapeText,
  };
}

// The 0-based index of flat position `k` within one row of this shape (row-major).
function unravel(k: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length).fill(0);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const d = shape[axis] as number;
    index[axis] = k % d;
    k = Math.floor(k / d);
  }
  return index;
}

/** Throws unless the data section has exactly the declared number of bytes. */
export function checkNpyDataLength(layout: NpyLayout, found: number, source: string): void {
  const { dataBytes: expected, shapeText, dtype } = layout;
  if (found !== expected) {
    failFor(source)(
      `the data section has ${found} bytes but shape ${shapeText} of '${dtype}' needs ${expected}` +
        (found < expected ? ' (the file is truncated)' : ' (trailing bytes)'),
    );
  }
}

/**
 * The values of the data section `data` (exactly `layout.dataBytes` bytes) as float32, refusing
 * NaN, Infinity and float64 values beyond the float32 range. With `adopt`, a float32 section
 * that is a whole, aligned buffer becomes the result without a copy (the caller gives it up).
 */
export function npyValues(data: Uint8Array, layout: NpyLayout, source: string, adopt = false): Float32Array {
  const { rows, cols, itemSize } = layout;
  const count = rows * cols;
  let values: Float32Array;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (itemSize === 4) {
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    values = adopt && whole && PLATFORM_LITTLE_ENDIAN ? new Float32Array(data.buffer, 0, count) : float32FromLittleEndian(data, 0, count);
  } else {
    values = new Float32Array(count);
    for (let k = 0; k < count; k++) values[k] = view.getFloat64(8 * k, true);
  }
  for (let k = 0; k < count; k++) {
    const v = values[k] as number;
    if (!Number.isFinite(v)) {
      const i = Math.floor(k / cols);
      const j = k % cols;
      const original = itemSize === 8 ? view.getFloat64(8 * k, true) : v;
      const index = `[${[i, ...unravel(j, layout.rowShape)].join(', ')}]`;
      const what = Number.isFinite(original)
        ? `${original} is outside the float32 range (|x| <= 3.4028235e38)`
        : `${original} is not allowed (NaN and Infinity are refused)`;
      failFor(source)(`row ${i + 1}, column ${j + 1} (numpy index ${index}): ${what}`, { row: i + 1, column: j + 1 });
    }
  }
  return values;
}
