import type { DataTable } from './data-table.js';

/** Throws a TypeError unless `table` is self-consistent (internal; used by the encoders). */
export function assertDataTable(table: DataTable, where: string): void {
  if (typeof table !== 'object' || table === null) {
    throw new TypeError(`${where}: expected a data table { rows, cols, values }`);
  }
  const { rows, cols, values, header, shape } = table;
  if (!Number.isSafeInteger(rows) || rows < 0) {
    throw new TypeError(`${where}: rows must be a non-negative integer, got ${String(rows)}`);
  }
  if (!Number.isSafeInteger(cols) || cols < 1) {
    throw new TypeError(`${where}: cols must be a positive integer, got ${String(cols)}`);
  }
  if (!(values instanceof Float32Array)) {
    throw new TypeError(`${where}: values must be a Float32Array`);
  }
  if (values.length !== rows * cols) {
    throw new TypeError(
      `${where}: values has ${values.length} entries, expected rows · cols = ${rows} · ${cols} = ${rows * cols}`,
    );
  }
  if (header !== undefined) {
    if (!Array.isArray(header) || header.some((h) => typeof h !== 'string')) {
      throw new TypeError(`${where}: header must be an array of strings`);
    }
    if (header.length !== cols) {
      throw new TypeError(`${where}: header has ${header.length} names, expected ${cols} (one per column)`);
    }
  }
  if (shape !== undefined) {
    const valid =
      Array.isArray(shape) &&
      shape.length === 3 &&
      shape.every((s) => Number.isSafeInteger(s) && s > 0) &&
      shape.reduce((a, b) => a * b, 1) === cols;
    if (!valid) {
      const given = Array.isArray(shape) ? `[${shape.map(String).join(', ')}]` : String(shape);
      throw new TypeError(`${where}: shape must be [h, w, c], three positive integers whose product is cols = ${cols}, got ${given}`);
    }
  }
}
