// Field checks shared by the model-file encoder and decoder (internal).
import { FORBIDDEN_KEYS, jsonPath, KEBAB_CASE, preview } from './json-value.js';

/** Throws through `fail`; never returns. */
export type Fail = (path: string, detail: string) => never;

const ROLE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

// True when `text` holds an ASCII control character (U+0000–U+001F or U+007F).
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** A registry id: kebab-case. */
export function checkId(value: unknown, path: string, fail: Fail): string {
  if (typeof value !== 'string' || !KEBAB_CASE.test(value)) {
    fail(path, `expected a kebab-case id (e.g. "flow-matching"), got ${preview(value)}`);
  }
  return value as string;
}

/** The role of a map: a short identifier (`generator`, `velocity`, `critic-2`). */
export function checkRole(role: string, path: string, fail: Fail): void {
  if (FORBIDDEN_KEYS.has(role)) fail(path, `the key "${role}" is not allowed`);
  if (!ROLE.test(role)) {
    fail(path, `map role ${preview(role)} must start with a letter and hold only letters, digits, "-" and "_" (at most 64)`);
  }
}

/** A short label (weight name, plugin name or version): a string without control characters. */
export function checkLabel(value: unknown, path: string, fail: Fail, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0) || value.length > 256 || hasControlCharacter(value)) {
    const what = `a${allowEmpty ? '' : ' non-empty'} string of at most 256 characters without control characters`;
    fail(path, `expected ${what}, got ${preview(value)}`);
  }
  return value as string;
}

/**
 * A tensor shape: an array of at most `maxRank` non-negative integers whose product stays within
 * `maxCount`. Returns the product. Checked factor by factor, so [1e9, 1e9] fails without ever
 * forming a huge number or allocating anything.
 */
export function checkShape(value: unknown, path: string, maxRank: number, maxCount: number, fail: Fail): number {
  const bad = () => fail(path, `expected an array of non-negative integers, got ${preview(value)}`);
  if (!Array.isArray(value)) return bad();
  if (value.length > maxRank) fail(path, `has ${value.length} dimensions, at most ${maxRank} are supported`);
  let count = 1;
  for (const d of value) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) return bad();
  }
  if (value.includes(0)) return 0;
  for (const d of value as number[]) {
    count *= d;
    if (count > maxCount) {
      fail(path, `shape ${preview(value)} holds more than ${maxCount} values (${maxCount * 4} bytes, the maxWeightBytes limit)`);
    }
  }
  return count;
}

/**
 * The shape of one sample (`[h, w, c]` for images): 1 to `maxRank` positive integers whose
 * product is `dim`. Returns a fresh copy.
 */
export function checkEventShape(value: unknown, dim: number, path: string, maxRank: number, fail: Fail): number[] {
  const expected = `an array of 1 to ${maxRank} positive integers whose product is dim = ${dim}`;
  if (!Array.isArray(value) || value.length < 1 || value.length > maxRank) fail(path, `expected ${expected}, got ${preview(value)}`);
  const shape = value as unknown[];
  if (!shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d > 0)) fail(path, `expected ${expected}, got ${preview(value)}`);
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (size !== dim) fail(path, `shape ${preview(value)} holds ${size} values per sample, but dim is ${dim}`);
  return [...(shape as number[])];
}

/** Throws when `obj` has keys outside `allowed` (forbidden keys get their own message). */
export function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string, fail: Fail): void {
  for (const key of Object.keys(obj)) {
    if (FORBIDDEN_KEYS.has(key)) fail(jsonPath(path, key), `the key "${key}" is not allowed`);
    if (!allowed.includes(key)) fail(jsonPath(path, key), `unknown field (expected only ${allowed.join(', ')})`);
  }
}

/** A weights file name: a plain file name in the model's directory (no separators, no `..`). */
export function checkWeightsFileName(value: unknown, path: string, fail: Fail): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 255 ||
    /[/\\:]/.test(value) ||
    hasControlCharacter(value) ||
    value === '.' ||
    value === '..'
  ) {
    fail(path, `expected a plain file name in the model's directory (no "/", "\\", ":" or ".."), got ${preview(value)}`);
  }
  return value as string;
}

/** The 0-based multi-index of flat position `k` in a row-major tensor of this shape. */
export function unravelIndex(k: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length).fill(0);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const d = shape[axis] as number;
    index[axis] = k % d;
    k = Math.floor(k / d);
  }
  return index;
}

/** Index of the first non-finite value, or -1. */
export function firstNonFinite(values: Float32Array): number {
  for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k] as number)) return k;
  return -1;
}
