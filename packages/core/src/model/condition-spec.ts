// Checks and words for a ConditionSpec: what a model file, a recipe or a data file says a model is
// conditioned on (K classes, or a context vector of dimension m).
import type { ConditionSpec } from '../contracts/condition.js';

/** Largest number of classes and context dimension accepted (a guard against absurd files). */
export const MAX_CONDITION_SIZE = 1 << 20;

/**
 * `value` as a ConditionSpec: `{ kind: 'class', classes: K }` with K ≥ 2 or `{ kind: 'context',
 * dim: m }` with m ≥ 1 (integers up to MAX_CONDITION_SIZE, no other keys). Throws a RangeError
 * naming `where`, the value and what was expected.
 */
export function parseConditionSpec(value: unknown, where = 'condition'): ConditionSpec {
  const shown = (() => {
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return String(value);
    }
  })();
  const expected = `expected { "kind": "class", "classes": K } (integer K ≥ 2) or { "kind": "context", "dim": m } (integer m ≥ 1)`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RangeError(`${where}: ${expected}, got ${shown}`);
  const record = value as Record<string, unknown>;
  const size = (key: 'classes' | 'dim', min: number): number => {
    const v = record[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > MAX_CONDITION_SIZE) {
      throw new RangeError(`${where}.${key}: expected an integer in ${min}…${MAX_CONDITION_SIZE}, got ${JSON.stringify(v) ?? String(v)}`);
    }
    return v;
  };
  const keys = Object.keys(record).sort().join(',');
  if (record.kind === 'class' && keys === 'classes,kind') return { kind: 'class', classes: size('classes', 2) };
  if (record.kind === 'context' && keys === 'dim,kind') return { kind: 'context', dim: size('dim', 1) };
  throw new RangeError(`${where}: ${expected}, got ${shown}`);
}

/** True when `a` and `b` describe the same condition (both absent counts as the same). */
export function sameConditionSpec(a: ConditionSpec | undefined, b: ConditionSpec | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind === 'class') return b.kind === 'class' && a.classes === b.classes;
  return b.kind === 'context' && a.dim === b.dim;
}

/** A short description for messages: `class labels 0…9` or `context vectors of dimension 3`. */
export function describeConditionSpec(spec: ConditionSpec | undefined): string {
  if (spec === undefined) return 'no condition';
  return spec.kind === 'class' ? `class labels 0…${spec.classes - 1}` : `context vectors of dimension ${spec.dim}`;
}
