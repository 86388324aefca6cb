// Checks and copies of plain JSON values (internal), shared by the model-file encoder and decoder.

/** Keys refused anywhere in a model file: they can reach Object.prototype when copied naively. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Ids of registry entries: lowercase words joined by hyphens (`flow-matching`). */
export const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Appends a key or an index to a JSON path: `a.b`, `a["odd key"]`, `a[3]`. */
export function jsonPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

/** A short rendering of any value for error messages (bounded, whatever the value's size). */
export function preview(value: unknown, depth = 0): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (Array.isArray(value)) {
    if (depth > 1) return '[…]';
    const shown = value.slice(0, 6).map((v) => preview(v, depth + 1));
    if (value.length > 6) shown.push(`… ${value.length - 6} more`);
    return `[${shown.join(',')}]`;
  }
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto !== null && proto !== Object.prototype) return `a ${(value as object).constructor?.name ?? 'non-plain'} object`;
    if (depth > 1) return '{…}';
    const keys = Object.keys(value);
    const shown = keys.slice(0, 4).map((k) => `${JSON.stringify(k)}:${preview((value as Record<string, unknown>)[k], depth + 1)}`);
    if (keys.length > 4) shown.push(`… ${keys.length - 4} more`);
    return `{${shown.join(',')}}`;
  }
  return String(value);
}

/** How a type is named in "expected …, got …" messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** True for `{}`-style objects (prototype Object.prototype or null), false for arrays and class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === Object.prototype || proto === null;
}

/**
 * Checks that `value` is plain JSON (null, booleans, finite numbers, strings, arrays and plain
 * objects, no forbidden keys, at most `maxDepth` levels) and returns a fresh deep copy built
 * field by field. Object properties whose value is `undefined` are dropped, as JSON.stringify
 * does. `fail(path, detail)` must throw.
 */
export function copyJsonValue(
  value: unknown,
  path: string,
  maxDepth: number,
  fail: (path: string, detail: string) => never,
  depth = 0,
): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, `expected a finite number, got ${preview(value)} (JSON has no NaN or Infinity)`);
    return value;
  }
  if (typeof value !== 'object') return fail(path, `expected a JSON value, got ${preview(value)}`);
  if (depth >= maxDepth) return fail(path, `nested deeper than ${maxDepth} levels`);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) fail(jsonPath(path, i), 'expected a JSON value, got undefined');
      out.push(copyJsonValue(item, jsonPath(path, i), maxDepth, fail, depth + 1));
    }
    return out;
  }
  return copyJsonObject(value, path, maxDepth, fail, depth);
}

/** {@link copyJsonValue} for a value that must be a plain object. */
export function copyJsonObject(
  value: unknown,
  path: string,
  maxDepth: number,
  fail: (path: string, detail: string) => never,
  depth = 0,
): Record<string, unknown> {
  if (!isPlainObject(value)) return fail(path, `expected a plain JSON object, got ${preview(value)}`);
  if (depth >= maxDepth) return fail(path, `nested deeper than ${maxDepth} levels`);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) fail(jsonPath(path, key), `the key "${key}" is not allowed`);
    const item = value[key];
    if (item === undefined) continue;
    out[key] = copyJsonValue(item, jsonPath(path, key), maxDepth, fail, depth + 1);
  }
  return out;
}
