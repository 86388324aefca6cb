// Number <-> text helpers shared by the CSV and JSON data formats (internal).

/** Largest finite float32, (2 − 2^−23) · 2^127. */
export const FLOAT32_MAX = 3.4028234663852886e38;

// A plain decimal number: optional sign, digits with an optional fraction, optional exponent.
// Stricter than Number(), which also takes "", "0x10", "1_0"-free hex/binary/octal and spaces.
// Each digit run can be matched one way only, so a failing match is linear in the cell's length
// (`\d+\.?\d*` could split a run of n digits n ways: quadratic backtracking on "111…1x").
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** Parse result: a number, or why the text is not one. */
export type ParsedCell = { ok: true; value: number } | { ok: false; reason: 'empty' | 'not-a-number' | 'not-finite' | 'out-of-range' };

/** Parses one decimal cell strictly into a value that fits a float32. */
export function parseDecimal(text: string): ParsedCell {
  if (text.length === 0) return { ok: false, reason: 'empty' };
  if (!DECIMAL.test(text)) {
    return { ok: false, reason: NON_FINITE.test(text) ? 'not-finite' : 'not-a-number' };
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return { ok: false, reason: 'out-of-range' };
  // Values that round to ±Infinity in float32 are as unusable as Infinity itself.
  if (!Number.isFinite(Math.fround(value))) return { ok: false, reason: 'out-of-range' };
  return { ok: true, value };
}

/** {@link parseDecimal}'s value, or NaN for any text it refuses (no result object: for hot loops). */
export function decimalOrNaN(text: string): number {
  if (!DECIMAL.test(text)) return NaN;
  const value = Number(text);
  return Number.isFinite(Math.fround(value)) ? value : NaN;
}

/** True when `text` would parse as a number (used to tell a header row from a data row). */
export function looksNumeric(text: string): boolean {
  return DECIMAL.test(text) || NON_FINITE.test(text);
}

/**
 * The shortest decimal text that reads back as the same float32: tries 1, 2, … 9 significant
 * digits (9 always suffices for float32) and keeps the first that round-trips through fround.
 */
export function formatFloat32(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(x.toPrecision(p));
    if (Math.fround(candidate) === x) return String(candidate);
  }
  return String(x);
}

/** Why a cell was refused, phrased for an error message. */
export function cellProblem(reason: Exclude<ParsedCell, { ok: true }>['reason'], shown: string): string {
  switch (reason) {
    case 'empty':
      return 'empty cell (expected a number)';
    case 'not-a-number':
      return `${shown} is not a number`;
    case 'not-finite':
      return `${shown} is not a finite number (NaN and Infinity are not allowed)`;
    case 'out-of-range':
      return `${shown} is outside the float32 range (|x| <= 3.4028235e38)`;
  }
}

/** A short quoted preview of a cell for error messages. */
export function quoteCell(text: string): string {
  const cut = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(cut);
}
