// Helpers of the io fuzz tests (test-only; not exported by the package).
import fc from 'fast-check';
import { onOneBackend } from '../testing/one-backend.js';

/**
 * The fuzz tests parse text and bytes and make no tensors, so they run in the first backend
 * project only (the second would repeat the same work and double the suite's time).
 */
export const fuzzHere: boolean = onOneBackend('cpu');

/** Fixed seeds: a failure reproduces exactly, and CI runs the same cases every time. */
export function fuzzParameters(seed: number, numRuns: number): fc.Parameters<unknown> {
  return { seed, numRuns, endOnFailure: true };
}

/** A finite float32, with the edges (±0, subnormals, ±max) drawn more often than chance. */
export const float32 = fc.float({ noNaN: true, noDefaultInfinity: true });

/** A table [rows, cols] of finite float32 values. */
export const dataTable = fc
  .record({ rows: fc.integer({ min: 1, max: 12 }), cols: fc.integer({ min: 1, max: 5 }) })
  .chain(({ rows, cols }) =>
    fc.array(float32, { minLength: rows * cols, maxLength: rows * cols }).map((v) => ({ rows, cols, values: new Float32Array(v) })),
  );

/** One edit of a byte string: cut it, flip a byte, insert or delete a run, or splice in junk. */
export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number };

/** A mutation; positions are fractions of the length, resolved by {@link applyMutations}. */
export function mutation(junk: fc.Arbitrary<number>): fc.Arbitrary<Mutation> {
  const at = fc.integer({ min: 0, max: 1_000_000 });
  return fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at }),
    fc.record({ kind: fc.constant('flip' as const), at, mask: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.array(junk, { minLength: 1, maxLength: 8 }) }),
    fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), at, length: fc.integer({ min: 1, max: 64 }) }),
  );
}

/** Applies the mutations in order (positions taken modulo the current length). */
export function applyMutations(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Array.from(input);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
    switch (m.kind) {
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
      case 'flip':
        if (at < bytes.length) bytes[at] = (bytes[at] as number) ^ m.mask;
        break;
      case 'insert':
        bytes.splice(at, 0, ...m.bytes);
        break;
      case 'delete':
        bytes.splice(at, m.length);
        break;
      case 'duplicate':
        bytes.splice(at, 0, ...bytes.slice(at, at + m.length));
        break;
    }
  }
  return new Uint8Array(bytes);
}

/** Byte values that matter to text formats: digits, signs, separators, quotes, brackets, UTF-8 lead bytes. */
export const textJunk = fc.constantFrom(...Array.from('0123456789-+.eE,;"#[]{} \t\r\nnulxa', (c) => c.charCodeAt(0)), 0x00, 0xc3, 0xa9, 0xff, 0xef, 0xbb, 0xbf);

/** Cuts `text` into pieces at the given fractions of its length (for the streaming readers). */
export function piecesOf(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * text.length)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const p of points) {
    pieces.push(text.slice(start, p));
    start = p;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** The outcome of a parse, comparable with toEqual: the table (values as bit-exact lists) or the error. */
export function outcome(run: () => { rows: number; cols: number; values: Float32Array; header?: string[] }): unknown {
  try {
    const t = run();
    return { rows: t.rows, cols: t.cols, values: Array.from(t.values, (v) => (Object.is(v, -0) ? '-0' : v)), header: t.header };
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
}
