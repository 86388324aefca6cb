import { DataFileError } from './data-file-error.js';
import { DEFAULT_MAX_DATA_BYTES, type DataParseOptions, type DataTable } from './data-table.js';
import { cellProblem, looksNumeric, parseDecimal, quoteCell } from './number-text.js';

/** Options of {@link parseCsv}. */
export interface CsvParseOptions extends DataParseOptions {
  /**
   * Whether the first row holds column names. `'auto'` (default): it does when none of its
   * cells looks like a number (empty cells allowed, as in pandas' index column).
   */
  header?: boolean | 'auto';
}

/**
 * Parses comma-separated numbers into a table [rows, cols].
 *
 * Accepted: an optional header row, cells padded with spaces, LF or CRLF line ends, a trailing
 * newline, blank lines (skipped), a UTF-8 byte-order mark, double-quoted cells (`"x, y"`, with
 * `""` for a quote, on one line). Refused with a {@link DataFileError}: an empty file, rows with
 * a different number of columns than the first, empty or non-numeric cells, NaN/Infinity and
 * values beyond the float32 range, and `#` comment lines (not part of CSV; numpy.savetxt writes
 * them unless given `comments=''`).
 *
 * Row numbers in errors are line numbers in the file, 1-based, as an editor shows them: the
 * header, if any, is row 1 and blank lines count. Columns are 1-based.
 */
export function parseCsv(text: string, options: CsvParseOptions = {}): DataTable {
  const source = options.source ?? 'data';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DATA_BYTES;
  const headerMode = options.header ?? 'auto';
  if (typeof text !== 'string') throw new TypeError(`parseCsv(${source}): expected the file's text as a string`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  function fail(detail: string, row?: number, column?: number): never {
    throw new DataFileError(`${source}: ${detail}`, { file: source, row, column });
  }

  let header: string[] | undefined;
  let cols = -1;
  let rows = 0;
  let values = new Float32Array(1024);
  let sawLine = false;

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const row = index + 1;
    if (line.trim().length === 0) continue;
    if (line.trimStart().startsWith('#')) {
      fail(`row ${row}: comment lines ("#…") are not supported in CSV data; remove them (numpy.savetxt: pass comments='')`, row);
    }
    const cells = splitCsvLine(line, (detail, column) => fail(`row ${row}, column ${column}: ${detail}`, row, column));

    if (!sawLine) {
      sawLine = true;
      cols = cells.length;
      const isHeader = headerMode === 'auto' ? cells.every((c) => !looksNumeric(c)) && cells.some((c) => c !== '') : headerMode;
      if (isHeader) {
        header = cells;
        continue;
      }
    }

    if (cells.length !== cols) {
      fail(`row ${row} has ${cells.length} columns, expected ${cols}`, row);
    }
    if ((rows + 1) * cols * 4 > maxBytes) {
      fail(`more than ${maxBytes} bytes of float32 values (the maxBytes limit) at row ${row}`, row);
    }
    if ((rows + 1) * cols > values.length) {
      const grown = new Float32Array(Math.max(values.length * 2, (rows + 1) * cols));
      grown.set(values);
      values = grown;
    }
    for (let j = 0; j < cols; j++) {
      const cell = cells[j] as string;
      const parsed = parseDecimal(cell);
      if (!parsed.ok) {
        let detail = cellProblem(parsed.reason, quoteCell(cell));
        if (parsed.reason === 'not-a-number' && /[;\t ]/.test(cell)) detail += ' (the separator is a comma)';
        if (parsed.reason === 'not-a-number' && rows === 0 && header === undefined && headerMode === 'auto') {
          detail += ' (a header row must have no numeric cells)';
        }
        fail(`row ${row}, column ${j + 1}: ${detail}`, row, j + 1);
      }
      values[rows * cols + j] = parsed.value;
    }
    rows++;
  }

  if (!sawLine) fail('the file is empty (expected rows of comma-separated numbers)');
  if (rows === 0) fail('the file has a header row but no data rows');
  const table: DataTable = { rows, cols, values: values.slice(0, rows * cols) };
  if (header) table.header = header;
  return table;
}

// Splits one line at commas, honouring double quotes; cells are trimmed outside quotes.
function splitCsvLine(line: string, fail: (detail: string, column: number) => never): string[] {
  if (!line.includes('"')) return line.split(',').map((c) => c.trim());
  const cells: string[] = [];
  let i = 0;
  while (true) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    let cell = '';
    if (line[i] === '"') {
      i++;
      while (true) {
        if (i >= line.length) {
          fail('unterminated quoted cell', cells.length + 1);
        }
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += line[i];
        i++;
      }
      while (i < line.length && line[i] !== ',') {
        if (line[i]?.trim() !== '') {
          fail('text after a closing quote', cells.length + 1);
        }
        i++;
      }
    } else {
      const end = line.indexOf(',', i);
      cell = (end < 0 ? line.slice(i) : line.slice(i, end)).trim();
      i = end < 0 ? line.length : end;
    }
    cells.push(cell);
    if (i >= line.length) return cells;
    i++; // the comma
  }
}
