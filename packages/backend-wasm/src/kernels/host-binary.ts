// Comparisons (bool out) and Minimum/Maximum on wasm as host kernels: a JavaScript loop over the
// wasm heap for the broadcasts of broadcastPattern (same shape, a scalar side, a trailing block
// such as a bias row), the stock kernel for every other broadcast. The stock kernels cost 4 to
// 9 ns per element on these cases (an indexed broadcast loop even for equal shapes) where a
// Multiply costs 0.4; they also ignore a NaN in b for Minimum/Maximum, where the cpu backend
// (Math.min, Math.max) gives NaN, as these do.
//
// No loop branches on the data: a comparison's sign is often random (x > 0 on pre-activations)
// and a mispredicted branch costs more than the work. Comparisons store +(x > y). Minimum and
// Maximum of float32 (or int32) pairs pick bits: with m = −(y wins), out = (x & ~m) | (y & m) on
// 32-bit integer views of the same bytes, where y wins for min if y < x or y is NaN (a NaN x
// loses every comparison and stays); a tie x = y (only ±0 differ in bits) gives x | y for min
// (−0 wins) and x & y for max (+0 wins). That is Math.min/Math.max bit for bit, as on the cpu backend.
import * as tf from '@tensorflow/tfjs-core';
import { broadcastPattern } from './broadcast-pattern.js';
import { isHeapNumeric, type HeapArray, type WasmHeapBackend } from './wasm-heap.js';

const GREATER = 0;
const GREATER_EQUAL = 1;
const LESS = 2;
const LESS_EQUAL = 3;
const EQUAL = 4;
const NOT_EQUAL = 5;
const MINIMUM = 6;
const MAXIMUM = 7;

const OPS = {
  Greater: GREATER,
  GreaterEqual: GREATER_EQUAL,
  Less: LESS,
  LessEqual: LESS_EQUAL,
  Equal: EQUAL,
  NotEqual: NOT_EQUAL,
  Minimum: MINIMUM,
  Maximum: MAXIMUM,
} as const;

/** The kernels `hostBinary` makes. */
export type HostBinaryKernelName = keyof typeof OPS;

// op(x, y) = SWAPPED[op](y, x): lets the loops keep the broadcast side always second.
const SWAPPED = [LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, EQUAL, NOT_EQUAL, MINIMUM, MAXIMUM];

// One loop per op (a shared loop calling a comparator would not be inlined by V8). Element i reads
// a[aAt + i] and b[bAt + i·bStep]: bStep 1 pairs equal shapes or a block, bStep 0 is a scalar.
function compare(op: number, a: HeapArray, aAt: number, b: HeapArray, bAt: number, bStep: number, out: HeapArray, outAt: number, n: number): void {
  switch (op) {
    case GREATER:
      for (let i = 0; i < n; i++) out[outAt + i] = +(a[aAt + i]! > b[bAt + i * bStep]!);
      return;
    case GREATER_EQUAL:
      for (let i = 0; i < n; i++) out[outAt + i] = +(a[aAt + i]! >= b[bAt + i * bStep]!);
      return;
    case LESS:
      for (let i = 0; i < n; i++) out[outAt + i] = +(a[aAt + i]! < b[bAt + i * bStep]!);
      return;
    case LESS_EQUAL:
      for (let i = 0; i < n; i++) out[outAt + i] = +(a[aAt + i]! <= b[bAt + i * bStep]!);
      return;
    case EQUAL:
      for (let i = 0; i < n; i++) out[outAt + i] = +(a[aAt + i]! === b[bAt + i * bStep]!);
      return;
    case NOT_EQUAL:
      for (let i = 0; i < n; i++) out[outAt + i] = +(a[aAt + i]! !== b[bAt + i * bStep]!);
      return;
  }
}

/** Minimum/Maximum by bits: `a`, `b` as numbers (`aBits`, `bBits`, `outBits`: the same bytes as int32). */
function pickBits(
  isMax: boolean,
  a: HeapArray,
  aBits: HeapArray,
  aAt: number,
  b: HeapArray,
  bBits: HeapArray,
  bAt: number,
  bStep: number,
  outBits: HeapArray,
  outAt: number,
  n: number,
): void {
  if (isMax) {
    for (let i = 0; i < n; i++) {
      const x = a[aAt + i]!;
      const y = b[bAt + i * bStep]!;
      const xb = aBits[aAt + i]!;
      const yb = bBits[bAt + i * bStep]!;
      const m = -(+(y > x) | +(y !== y));
      const tie = -+(x === y);
      outBits[outAt + i] = (((xb & ~m) | (yb & m)) & ~tie) | (xb & yb & tie);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const x = a[aAt + i]!;
      const y = b[bAt + i * bStep]!;
      const xb = aBits[aAt + i]!;
      const yb = bBits[bAt + i * bStep]!;
      const m = -(+(y < x) | +(y !== y));
      const tie = -+(x === y);
      outBits[outAt + i] = (((xb & ~m) | (yb & m)) & ~tie) | ((xb | yb) & tie);
    }
  }
}

/** Minimum/Maximum for mixed dtypes (only from a direct kernel call: tf.minimum matches dtypes first), as Math.min/Math.max. */
function pickMixed(isMax: boolean, a: HeapArray, aAt: number, b: HeapArray, bAt: number, bStep: number, out: HeapArray, outAt: number, n: number): void {
  for (let i = 0; i < n; i++) {
    out[outAt + i] = isMax ? Math.max(a[aAt + i]!, b[bAt + i * bStep]!) : Math.min(a[aAt + i]!, b[bAt + i * bStep]!);
  }
}

/** The same bytes as 32-bit integers for float32 data (int32 is used as it is). */
function bitsOf(values: HeapArray): HeapArray {
  return values instanceof Float32Array ? new Int32Array(values.buffer, values.byteOffset, values.length) : values;
}

/**
 * A host kernel for wasm for `kernelName` (Greater, GreaterEqual, Less, LessEqual, Equal,
 * NotEqual → bool; Minimum, Maximum → a's dtype, as on the cpu backend and the stock kernel).
 * Inputs a, b float32, int32 or bool, of equal shapes, one of one element, or one a trailing
 * block of the other (a [..., c] against b [c]); other broadcasts and dtypes go to `stock`.
 */
export function hostBinary(kernelName: HostBinaryKernelName, stock: tf.KernelFunc): tf.KernelFunc {
  const op: number = OPS[kernelName];
  const isComparison = op <= NOT_EQUAL;
  const isMax = op === MAXIMUM;
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (!isHeapNumeric(a.dtype) || !isHeapNumeric(b.dtype)) return stock(args);
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = tf.util.sizeFromShape(outShape);
    const pattern = size === 0 ? { kind: 'same' as const } : broadcastPattern(a.shape, b.shape, outShape);
    if (pattern.kind === 'other') return stock(args);
    const backend = args.backend as WasmHeapBackend;
    const dtype = isComparison ? 'bool' : a.dtype;
    const out = backend.makeOutput(outShape, dtype);
    if (size === 0) return out;
    // Keep the broadcast side second: b [block or scalar], the op swapped if it was a.
    const swap = pattern.kind !== 'same' && pattern.side === 'a';
    const full = backend.typedArrayFromHeap(swap ? b : a);
    const part = backend.typedArrayFromHeap(swap ? a : b);
    const result = backend.typedArrayFromHeap(out);
    const block = pattern.kind === 'tile' ? pattern.block : size;
    const step = pattern.kind === 'scalar' ? 0 : 1;
    if (isComparison) {
      const sideOp = swap ? SWAPPED[op]! : op;
      for (let at = 0; at < size; at += block) compare(sideOp, full, at, part, 0, step, result, at, block);
    } else if (a.dtype === b.dtype && a.dtype !== 'bool') {
      const fullBits = bitsOf(full);
      const partBits = bitsOf(part);
      const outBits = bitsOf(result);
      for (let at = 0; at < size; at += block) pickBits(isMax, full, fullBits, at, part, partBits, 0, step, outBits, at, block);
    } else {
      for (let at = 0; at < size; at += block) pickMixed(isMax, full, at, part, 0, step, result, at, block);
    }
    return out;
  };
}
