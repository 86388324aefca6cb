/** Where two JSON values first differ: the path (`config.optimizer.lr`) and both values. */
export interface Difference {
  path: string;
  left: unknown;
  right: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first place where `left` and `right` (plain JSON values) differ, walking objects by sorted
 * key and arrays by index; undefined when they are equal. A missing key counts as `undefined`.
 */
export function firstDifference(left: unknown, right: unknown, path: string): Difference | undefined {
  if (Object.is(left, right)) return undefined;
  if (Array.isArray(left) && Array.isArray(right)) {
    if (left.length !== right.length) return { path: `${path}.length`, left: left.length, right: right.length };
    for (let i = 0; i < left.length; i++) {
      const d = firstDifference(left[i], right[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isObject(left) && isObject(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    for (const key of keys) {
      const d = firstDifference(left[key], right[key], `${path}.${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return { path, left, right };
}

/** A JSON value in at most `max` characters, for messages. */
export function previewValue(value: unknown, max = 60): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
