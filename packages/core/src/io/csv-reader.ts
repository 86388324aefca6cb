// The CSV parser as a reader fed text in pieces (internal): parseCsv feeds it one string,
// readDataFile and decodeDataFile feed it the file chunk by chunk, so a large file is never held
// whole, nor as an array of lines. CSV rows are lines (a quoted cell cannot span lines), so each
// complete line is parsed as it arrives; only the values, a growing Float32Array, are kept.
import { DataFileError } from './data-file-error.js';
import { DEFAULT_MAX_DATA_BYTES, type DataTable } from './data-table.js';
import { cellProblem, decimalOrNaN, looksNumeric, parseDecimal, quoteCell } from './number-text.js';
import type { CsvParseOptions } from './parse-csv.js';

/** Longest line accepted when a line arrives in pieces (2^28 characters). */
export const MAX_LINE_CHARS = 2 ** 28;

/** A CSV parser fed text in order: `push` each piece, then `end` for the table. */
export interface CsvReader {
  /** Parses the complete lines of `text` (appended to what came before). */
  push(text: string): void;
  /** Parses the last line and returns the table; throws a DataFileError if there is none. */
  end(): DataTable;
}

/** A {@link CsvReader} with parseCsv's options, rules and messages (`maxLineChars` for tests). */
export function createCsvReader(options: CsvParseOptions = {}, maxLineChars = MAX_LINE_CHARS): CsvReader {
  const source = options.source ?? 'data';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DATA_BYTES;
  const headerMode = options.header ?? 'auto';
  function fail(detail: string, row?: number, column?: number): never {
    throw new DataFileError(`${source}: ${detail}`, { file: source, row, column });
  }

  let header: string[] | undefined;
  let cols = -1;
  let rows = 0;
  let values = new Float32Array(1024);
  let sawLine = false;
  let started = false;
  let ended = false;
  let lineNumber = 0;
  // The start of a line whose end has not arrived yet, in pieces: joined once, when it ends, so a
  // long line fed in many small pieces costs linear time.
  let partial: string[] = [];
  let partialLength = 0;
  // Joining pieces into one line fails beyond V8's longest string (about 2^29 characters).
  const keep = (piece: string) => {
    partialLength += piece.length;
    if (partialLength > maxLineChars) {
      fail(`row ${lineNumber + 1} is longer than ${maxLineChars} characters (is the file CSV, with "\\n" line ends?)`, lineNumber + 1);
    }
    partial.push(piece);
  };

  // The common case, without intermediate arrays: a data row of plain numbers (no quotes), with
  // the expected number of cells, within the limit. False when anything is off; parseLine then
  // parses the row again the general way, for the exact message.
  function parseDataRowFast(line: string): boolean {
    if (rows === 0 && header === undefined) return false;
    if (line.includes('"') || (rows + 1) * cols * 4 > maxBytes) return false;
    if ((rows + 1) * cols > values.length) {
      const grown = new Float32Array(Math.min(Math.max(values.length * 2, (rows + 1) * cols), Math.floor(maxBytes / 4)));
      grown.set(values);
      values = grown;
    }
    const offset = rows * cols;
    let start = 0;
    for (let j = 0; j < cols; j++) {
      const end = line.indexOf(',', start);
      if ((end < 0) !== (j === cols - 1)) return false;
      const value = decimalOrNaN((end < 0 ? line.slice(start) : line.slice(start, end)).trim());
      if (Number.isNaN(value)) return false;
      values[offset + j] = value;
      start = end + 1;
    }
    rows++;
    return true;
  }

  function parseLine(line: string): void {
    const row = ++lineNumber;
    if (sawLine && parseDataRowFast(line)) return;
    if (line.trim().length === 0) return;
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
        return;
      }
    }

    if (cells.length !== cols) {
      fail(`row ${row} has ${cells.length} columns, expected ${cols}`, row);
    }
    if ((rows + 1) * cols * 4 > maxBytes) {
      fail(`more than ${maxBytes} bytes of float32 values (the maxBytes limit) at row ${row}`, row);
    }
    if ((rows + 1) * cols > values.length) {
      const grown = new Float32Array(Math.min(Math.max(values.length * 2, (rows + 1) * cols), Math.floor(maxBytes / 4)));
      grown.set(values);
      values = grown;
    }
    const offset = rows * cols;
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
      values[offset + j] = parsed.value;
    }
    rows++;
  }

  return {
    push(text: string): void {
      if (ended) throw new Error('CsvReader: push after end');
      let start = 0;
      if (!started && text.length > 0) {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) start = 1;
      }
      let newline = text.indexOf('\n', start);
      while (newline >= 0) {
        let line = text.slice(start, newline);
        if (partial.length > 0) {
          keep(line);
          line = partial.join('');
          partial = [];
          partialLength = 0;
        }
        parseLine(line);
        start = newline + 1;
        newline = text.indexOf('\n', start);
      }
      if (start < text.length) keep(text.slice(start));
    },
    end(): DataTable {
      if (ended) throw new Error('CsvReader: end called twice');
      ended = true;
      parseLine(partial.join(''));
      partial = [];
      if (!sawLine) fail('the file is empty (expected rows of comma-separated numbers)');
      if (rows === 0) fail('the file has a header row but no data rows');
      const n = rows * cols;
      const table: DataTable = { rows, cols, values: values.length === n ? values : values.slice(0, n) };
      if (header) table.header = header;
      return table;
    },
  };
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
