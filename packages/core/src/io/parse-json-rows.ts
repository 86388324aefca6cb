import { DataFileError } from './data-file-error.js';
import { DEFAULT_MAX_DATA_BYTES, type DataParseOptions, type DataTable } from './data-table.js';
import { createJsonRowsReader } from './json-rows-reader.js';

/**
 * Parses JSON data into a table [rows, cols]: an array of rows, each an array of numbers
 * (`[[0.1, 2], [3, 4.5]]`, every row the same length). A flat array of numbers (`[1, 2, 3]`) is
 * accepted too and read as one column (rows = its length, cols = 1); the two forms cannot be
 * mixed.
 *
 * Refused with a {@link DataFileError}: invalid JSON, an empty array, ragged rows, cells that are
 * not numbers (strings, `null` — which is how JSON.stringify writes NaN and Infinity — objects),
 * and values beyond the float32 range. Row k is the k-th element of the top-level array and
 * column j the j-th number in it, both 1-based.
 */
export function parseJsonRows(text: string, options: DataParseOptions = {}): DataTable {
  const source = options.source ?? 'data';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DATA_BYTES;
  if (typeof text !== 'string') throw new TypeError(`parseJsonRows(${source}): expected the file's text as a string`);
  const reader = createJsonRowsReader(options);
  const table = reader.push(text) ? reader.end() : undefined;
  return table ?? parseJsonRowsValue(text, source, maxBytes);
}

// The general path, for what the fast reader gave up on: JSON.parse, then a check of every row
// and cell with a message naming the first that is wrong.
function parseJsonRowsValue(text: string, source: string, maxBytes: number): DataTable {
  if (text.trim().length === 0) throw new DataFileError(`${source}: the file is empty (expected a JSON array of rows)`, { file: source });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the text around the fault, line ends included: escaped, the error stays one line.
    const reason = (error as Error).message.replace(/[\r\n\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
    throw new DataFileError(`${source}: invalid JSON: ${reason}`, { file: source, cause: error });
  }
  if (!Array.isArray(data)) {
    throw new DataFileError(`${source}: expected a JSON array of rows (arrays of numbers), got ${kindOf(data)}`, { file: source });
  }
  if (data.length === 0) throw new DataFileError(`${source}: the array is empty (expected at least one row)`, { file: source });

  const flat = !Array.isArray(data[0]);
  const rows = data.length;
  const cols = flat ? 1 : (data[0] as unknown[]).length;
  if (cols === 0) throw new DataFileError(`${source}: row 1 is empty (expected at least one number)`, { file: source, row: 1 });
  if (rows * cols * 4 > maxBytes) {
    const detail = `${rows} × ${cols} float32 values exceed the maxBytes limit (${maxBytes} bytes)`;
    throw new DataFileError(`${source}: ${detail}`, { file: source });
  }
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = i + 1;
    const item: unknown = data[i];
    if (flat) {
      if (Array.isArray(item)) {
        const detail = 'is an array but row 1 is a number (use [[…], …] rows or a flat array of numbers, not both)';
        throw new DataFileError(`${source}: row ${row} ${detail}`, { file: source, row });
      }
      values[i] = cellValue(item, source, row, 1);
      continue;
    }
    if (!Array.isArray(item)) {
      throw new DataFileError(`${source}: row ${row}: expected an array of ${cols} numbers, got ${kindOf(item)}`, { file: source, row });
    }
    if (item.length !== cols) {
      throw new DataFileError(`${source}: row ${row} has ${item.length} columns, expected ${cols}`, { file: source, row });
    }
    for (let j = 0; j < cols; j++) values[i * cols + j] = cellValue(item[j], source, row, j + 1);
  }
  return { rows, cols, values };
}

function cellValue(cell: unknown, source: string, row: number, column: number): number {
  const at = `row ${row}, column ${column}`;
  if (typeof cell !== 'number') {
    const hint = cell === null ? ' (JSON.stringify writes NaN and Infinity as null; they are not allowed)' : '';
    throw new DataFileError(`${source}: ${at}: expected a number, got ${kindOf(cell)}${hint}`, { file: source, row, column });
  }
  // JSON.parse gives finite numbers, or ±Infinity for literals like 1e400; values that round to
  // ±Infinity in float32 are refused with them.
  if (!Number.isFinite(Math.fround(cell))) {
    throw new DataFileError(`${source}: ${at}: ${cell} is outside the float32 range (|x| <= 3.4028235e38)`, { file: source, row, column });
  }
  return cell;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
