import type * as tf from '@tensorflow/tfjs-core';
import type { KernelContext } from './kernel-context.js';

/** Materialises x with its last two axes swapped ([..., p, q] -> [..., q, p]) with the wasm Transpose kernel. */
export function swapLastTwoAxes(ctx: KernelContext, x: tf.TensorInfo): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return ctx.run('Transpose', { x }, { perm });
}
