import { DataFileError } from './data-file-error.js';
import { DEFAULT_MAX_DATA_BYTES, type DataParseOptions, type DataTable } from './data-table.js';
import { float32FromLittleEndian } from './little-endian.js';
import { parsePythonLiteral, type PythonValue } from './python-literal.js';

// NumPy .npy layout (numpy.lib.format, NEP 1): "\x93NUMPY", major, minor, header length
// (uint16 LE for 1.0, uint32 LE for 2.0/3.0), a Python dict literal
// {'descr': …, 'fortran_order': …, 'shape': (…)} padded with spaces and '\n', then the raw data.

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const MAX_HEADER_BYTES = 65_536;
const ITEM_SIZES: Record<string, 4 | 8> = { '<f4': 4, '<f8': 8 };

/**
 * Reads a NumPy `.npy` file (format 1.0, 2.0 or 3.0) into a table [rows, cols]. Accepted:
 * dtypes `'<f4'` and `'<f8'` (float64 is rounded to float32), C order, shape `(n,)` (read as
 * one column) or `(n, d)`. The header is parsed as a literal, never evaluated, and checked
 * strictly: exactly the keys descr, fortran_order and shape, and a data section of exactly
 * n · d · itemsize bytes.
 *
 * Refused with a {@link DataFileError}: a bad magic or version, big-endian or other dtypes,
 * Fortran order, other ranks, zero rows or columns, sizes over `maxBytes` (checked before
 * allocating), truncated or over-long data, and NaN/Infinity values (named by 1-based row and
 * column, with the 0-based numpy index).
 */
export function parseNpy(bytes: Uint8Array, options: DataParseOptions = {}): DataTable {
  const source = options.source ?? 'data';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DATA_BYTES;
  const fail = (detail: string, where?: { row?: number; column?: number }): never => {
    throw new DataFileError(`${source}: ${detail}`, { file: source, ...where });
  };
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`parseNpy(${source}): expected the file's bytes as a Uint8Array`);
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
    if (!['descr', 'fortran_order', 'shape'].includes(key)) fail(`unexpected key '${key}' in the .npy header`);
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
    fail(`big-endian data ('${dtype}') is not supported; convert it first, e.g. a.astype('<f${dtype.slice(2) || 4}')`);
  }
  const itemSize = ITEM_SIZES[dtype];
  if (itemSize === undefined) fail(`unsupported dtype '${dtype}' (expected '<f4' or '<f8'; convert with a.astype('<f4'))`);

  if (fortranOrder.kind !== 'bool') return fail("'fortran_order' must be True or False");
  if (fortranOrder.value) fail('Fortran-ordered arrays are not supported; save np.ascontiguousarray(a) instead');

  if (shapeValue.kind !== 'tuple' || shapeValue.items.some((d) => d.kind !== 'int' || d.value < 0)) {
    return fail("'shape' must be a tuple of non-negative integers");
  }
  const shape = shapeValue.items.map((d) => (d as { value: number }).value);
  if (shape.length !== 1 && shape.length !== 2) {
    fail(`shape (${shape.join(', ')}) has ${shape.length} dimensions (expected (n,) or (n, d))`);
  }
  const rows = shape[0] as number;
  const cols = shape.length === 2 ? (shape[1] as number) : 1;
  const shapeText = shape.length === 1 ? `(${rows},)` : `(${rows}, ${cols})`;
  if (rows === 0 || cols === 0) fail(`shape ${shapeText} holds no values (expected at least one row and one column)`);
  // Checked before any allocation: the float32 table must fit the limit.
  if (rows * cols * 4 > maxBytes) {
    fail(`shape ${shapeText} needs ${rows * cols * 4} bytes as float32, more than the maxBytes limit (${maxBytes})`);
  }
  const expected = rows * cols * (itemSize as number);
  const found = bytes.length - dataStart;
  if (found !== expected) {
    fail(
      `the data section has ${found} bytes but shape ${shapeText} of '${dtype}' needs ${expected}` +
        (found < expected ? ' (the file is truncated)' : ' (trailing bytes)'),
    );
  }

  let values: Float32Array;
  if (itemSize === 4) {
    values = float32FromLittleEndian(bytes, dataStart, rows * cols);
  } else {
    values = new Float32Array(rows * cols);
    for (let k = 0; k < values.length; k++) values[k] = view.getFloat64(dataStart + 8 * k, true);
  }
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as number;
    if (!Number.isFinite(v)) {
      const i = Math.floor(k / cols);
      const j = k % cols;
      const original = itemSize === 8 ? view.getFloat64(dataStart + 8 * k, true) : v;
      const index = shape.length === 1 ? `[${i}]` : `[${i}, ${j}]`;
      const what = Number.isFinite(original)
        ? `${original} is outside the float32 range (|x| <= 3.4028235e38)`
        : `${original} is not allowed (NaN and Infinity are refused)`;
      fail(`row ${i + 1}, column ${j + 1} (numpy index ${index}): ${what}`, { row: i + 1, column: j + 1 });
    }
  }
  return { rows, cols, values };
}
