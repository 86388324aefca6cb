// BatchMatMul on wasm: C = op(A) · op(B), op = identity or transpose of the last two axes.
// The stock XNNPACK path is 10-20x slower when transposeA or transposeB is set (every
// backward pass of a dense layer uses one), so the transpose is materialised first with the
// wasm Transpose kernel and the fast non-transposed stock kernel does the product. The right
// operand always reaches the stock kernel in a buffer made with its own shape (see
// KernelContext.ownLayout): the stock kernel caches its packing by buffer id.
import type * as tf from '@tensorflow/tfjs-core';
import { checkInnerDims } from './check-inner-dims.js';
import { KernelContext } from './kernel-context.js';
import { swapLastTwoAxes } from './swap-last-two-axes.js';

/**
 * A BatchMatMul kernel for wasm that never runs the stock kernel with a transpose flag.
 * Inputs a: [...batchA, m, k] (or [..., k, m] when transposeA), b: [...batchB, k, n] (or
 * [..., n, k] when transposeB); output [...broadcast(batchA, batchB), m, n].
 */
export function fixedBatchMatMul(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const transposeA = Boolean(args.attrs?.transposeA);
    const transposeB = Boolean(args.attrs?.transposeB);
    checkInnerDims(a, b, transposeA, transposeB);
    const ctx = new KernelContext(args.backend);
    try {
      const aPlain = transposeA ? swapLastTwoAxes(ctx, a) : a;
      const bPlain = ctx.ownLayout(transposeB ? swapLastTwoAxes(ctx, b) : b);
      if (aPlain === a && bPlain === b) return stock(args);
      const out = ctx.call(stock, { a: aPlain, b: bPlain }, { ...args.attrs, transposeA: false, transposeB: false });
      return ctx.keep(out);
    } finally {
      ctx.dispose();
    }
  };
}
