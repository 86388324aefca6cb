// A fast reader for the usual shape of JSON data, fed text in pieces (internal): an array of
// rows of numbers, or a flat array of numbers, scanned straight into a growing Float32Array
// without building a JSON value (JSON.parse of 1,000,000 rows makes 1,000,000 arrays). It only
// accepts; anything else (invalid JSON, strings, null, ragged or empty rows, out-of-range
// numbers) makes it give up, and the caller parses with JSON.parse for the precise message.
import { DataFileError } from './data-file-error.js';
import { DEFAULT_MAX_DATA_BYTES, type DataParseOptions, type DataTable } from './data-table.js';

/** A JSON-rows scanner fed text in order; `push` and `end` return false / undefined once it gave up. */
export interface JsonRowsReader {
  /** Scans `text` (appended to what came before); false when the input is not the simple shape. */
  push(text: string): boolean;
  /** The table, or undefined when the input (as a whole) is not the simple shape. */
  end(): DataTable | undefined;
}

// RFC 8259 number grammar; anchored and unambiguous, so matching is linear.
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
// A number longer than this is left to JSON.parse (no float needs it; it bounds the carry-over).
const MAX_NUMBER_LENGTH = 4096;

// Scanner states: what may come next.
const START = 0; // the outer "["
const OPENED = 1; // "[" of the first row, or the first number of a flat array
const ROW_FIRST = 2; // the first number of a row
const ROW_VALUE = 3; // "," or "]" after a number in a row
const ROW_COMMA = 4; // a number after "," in a row
const AFTER_ROW = 5; // "," or "]" after a row
const NEXT_ROW = 6; // "[" of the next row
const FLAT_VALUE = 7; // "," or "]" after a number of a flat array
const FLAT_COMMA = 8; // a number after "," in a flat array
const DONE = 9; // only whitespace

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isNumberChar(c: number): boolean {
  // 0-9 + - . e E
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e || c === 0x65 || c === 0x45;
}

/** A {@link JsonRowsReader} with parseJsonRows' `source` and `maxBytes`. */
export function createJsonRowsReader(options: DataParseOptions = {}): JsonRowsReader {
  const source = options.source ?? 'data';
  const maxCount = Math.floor((options.maxBytes ?? DEFAULT_MAX_DATA_BYTES) / 4);
  let state = START;
  let gaveUp = false;
  let ended = false;
  let values = new Float32Array(1024);
  let count = 0; // values stored
  let rows = 0; // complete rows (rows mode)
  let cols = -1; // length of row 1, once known
  let inRow = 0; // values in the current row
  let carry = ''; // a number cut by the end of a piece

  const giveUp = (): false => {
    gaveUp = true;
    values = new Float32Array(0);
    return false;
  };

  // Stores one number; false (gave up) unless it is a finite float32 and the row has room.
  const store = (text: string): boolean => {
    if (!JSON_NUMBER.test(text)) return giveUp();
    const value = Number(text);
    if (!Number.isFinite(Math.fround(value))) return giveUp();
    if (cols >= 0 && inRow >= cols) return giveUp();
    if (count >= maxCount) {
      const bytes = (options.maxBytes ?? DEFAULT_MAX_DATA_BYTES);
      const row = state === FLAT_COMMA || state === OPENED ? count + 1 : rows + 1;
      throw new DataFileError(`${source}: more than ${bytes} bytes of float32 values (the maxBytes limit) at row ${row}`, {
        file: source,
        row,
      });
    }
    if (count === values.length) {
      const grown = new Float32Array(Math.min(values.length * 2, maxCount));
      grown.set(values);
      values = grown;
    }
    values[count++] = value;
    inRow++;
    if (state === OPENED || state === FLAT_COMMA) state = FLAT_VALUE;
    else state = ROW_VALUE;
    return true;
  };

  const endRow = (): boolean => {
    if (rows === 0) cols = inRow;
    else if (inRow !== cols) return giveUp();
    rows++;
    inRow = 0;
    state = AFTER_ROW;
    return true;
  };

  return {
    push(text: string): boolean {
      if (ended) throw new Error('JsonRowsReader: push after end');
      if (gaveUp) return false;
      let i = 0;
      const n = text.length;
      if (carry.length > 0) {
        while (i < n && isNumberChar(text.charCodeAt(i))) i++;
        if (i === n) {
          carry += text;
          return carry.length > MAX_NUMBER_LENGTH ? giveUp() : true;
        }
        const number = carry + text.slice(0, i);
        carry = '';
        if (!store(number)) return false;
      }
      while (i < n) {
        const c = text.charCodeAt(i);
        if (isSpace(c)) {
          i++;
          continue;
        }
        if (state === OPENED || state === ROW_FIRST || state === ROW_COMMA || state === FLAT_COMMA) {
          if (state === OPENED && c === 0x5b) {
            state = ROW_FIRST;
            i++;
            continue;
          }
          if (!isNumberChar(c)) return giveUp();
          const start = i;
          while (i < n && isNumberChar(text.charCodeAt(i))) i++;
          if (i === n) {
            carry = text.slice(start);
            return carry.length > MAX_NUMBER_LENGTH ? giveUp() : true;
          }
          if (!store(text.slice(start, i))) return false;
          continue;
        }
        i++;
        if (state === START) {
          if (c !== 0x5b) return giveUp();
          state = OPENED;
        } else if (state === ROW_VALUE) {
          if (c === 0x2c) state = ROW_COMMA;
          else if (c !== 0x5d || !endRow()) return giveUp();
        } else if (state === AFTER_ROW) {
          if (c === 0x2c) state = NEXT_ROW;
          else if (c === 0x5d) state = DONE;
          else return giveUp();
        } else if (state === NEXT_ROW) {
          if (c !== 0x5b) return giveUp();
          state = ROW_FIRST;
        } else if (state === FLAT_VALUE) {
          if (c === 0x2c) state = FLAT_COMMA;
          else if (c === 0x5d) state = DONE;
          else return giveUp();
        } else {
          return giveUp(); // DONE: text after the array
        }
      }
      return true;
    },
    end(): DataTable | undefined {
      if (ended) throw new Error('JsonRowsReader: end called twice');
      ended = true;
      if (gaveUp) return undefined;
      if (carry.length > 0) {
        const number = carry;
        carry = '';
        if (!store(number)) return undefined;
      }
      if (state !== DONE) return undefined;
      const flat = rows === 0;
      const table: DataTable = flat
        ? { rows: count, cols: 1, values: values.length === count ? values : values.slice(0, count) }
        : { rows, cols, values: values.length === count ? values : values.slice(0, count) };
      values = new Float32Array(0);
      return table;
    },
  };
}
