import type { DataTable } from './data-table.js';
import { assertDataTable } from './data-table-check.js';
import { float32ToLittleEndian } from './little-endian.js';

/**
 * Writes a table [rows, cols] as a NumPy `.npy` file, format 1.0, dtype `'<f4'`, C order,
 * shape `(rows, cols)` (2-D, also for one column), or `(rows, h, w, c)` when the table has
 * `shape: [h, w, c]` (each row is then one image, row-major). The header is laid out as
 * `numpy.save` does — keys sorted, room left for the first axis to grow, padded with spaces so
 * the data starts at a multiple of 64 bytes — so the bytes equal numpy's for the same array.
 */
export function encodeNpy(table: DataTable): Uint8Array {
  assertDataTable(table, 'encodeNpy');
  const { rows, cols, shape } = table;
  const dims = shape === undefined ? [rows, cols] : [rows, ...shape];
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims.join(', ')}), }`;
  // numpy leaves room for the growth axis to reach 21 digits, so a header can be rewritten in place.
  dict += ' '.repeat(Math.max(0, 21 - String(rows).length));
  const withNewline = dict.length + 1;
  // As numpy does: a header that already ends on a 64-byte boundary still gets 64 spaces.
  const pad = 64 - ((10 + withNewline) % 64);
  const headerLength = withNewline + pad;
  if (headerLength > 0xffff) throw new RangeError('encodeNpy: header too long for format 1.0');

  const data = float32ToLittleEndian(table.values);
  const out = new Uint8Array(10 + headerLength + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, headerLength & 0xff, headerLength >> 8]);
  const text = dict + ' '.repeat(pad) + '\n';
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  out.set(data, 10 + headerLength);
  return out;
}
