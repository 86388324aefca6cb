// Transpose on wasm, done in JavaScript on the wasm heap. The stock kernel runs a generic
// element-by-element loop (some 8.5 ns per value for a 512×64 float32 matrix) that every
// transposed matMul operand and every non-innermost reduction went through; permuteValues
// moves the same values 5-10x faster. A permutation that changes nothing shares the input's
// buffer (tensors are immutable); one that only renames the shape copies it (see below).
import * as tf from '@tensorflow/tfjs-core';
import { KernelContext } from './kernel-context.js';
import { permuteValues, simplifyPermutation } from './permute-values.js';
import { valueBits } from './value-bits.js';

interface RefCounting {
  incRef(dataId: tf.DataId): void;
}

/**
 * Transpose for wasm: x [d_0, ..., d_{r-1}] with attribute perm -> [d_perm[0], ..., d_perm[r-1]],
 * for float32, int32 and bool; complex64 and string go to the stock kernel.
 */
export function fixedTranspose(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') return stock(args);
    const perm = checkPermutation(args.attrs?.perm, x.shape.length);
    const outShape = perm.map((axis) => x.shape[axis] as number);
    const size = tf.util.sizeFromShape(x.shape);
    const inPlace = size > 0 && simplifyPermutation(x.shape, perm).shape.length <= 1;
    if (inPlace && outShape.every((d, i) => d === x.shape[i])) {
      (args.backend as RefCounting).incRef(x.dataId);
      return { dataId: x.dataId, shape: outShape, dtype: x.dtype };
    }
    const ctx = new KernelContext(args.backend);
    // Allocate first: an allocation may grow the heap, which detaches views taken before it.
    const out = ctx.backend.makeOutput(outShape, x.dtype);
    if (inPlace) {
      // Same values in the same order under a new shape ([1, n] → [n, 1]): copied, not shared.
      // The stock BatchMatMul caches its packed right operand by buffer id, so a buffer shared
      // under two shapes (a [1, 32] weight and its [32, 1] transpose) would be multiplied with
      // the other shape's packing: NaN or garbage in the backward pass.
      ctx.backend.typedArrayFromHeap(out).set(ctx.backend.typedArrayFromHeap(x));
    } else if (size > 0) {
      permuteValues(valueBits(ctx.backend.typedArrayFromHeap(x)), x.shape, perm, valueBits(ctx.backend.typedArrayFromHeap(out)));
    }
    return out;
  };
}

function checkPermutation(perm: unknown, rank: number): number[] {
  const seen = new Array<boolean>(rank).fill(false);
  const valid =
    Array.isArray(perm) &&
    perm.length === rank &&
    perm.every((axis) => Number.isInteger(axis) && axis >= 0 && axis < rank && !seen[axis] && (seen[axis] = true));
  if (!valid) {
    throw new Error(`Transpose on wasm: perm must be a permutation of 0..${rank - 1} for a rank-${rank} input, got [${String(perm)}].`);
  }
  return perm as number[];
}
