// MaxPoolGrad on wasm: the gradient of y = maxPool(x), which sends each dy value to the
// position of its window's maximum,
//   dx[b, i, j, d] = Σ_{(oy, ox) : argmax of window (oy, ox) in channel d = (i, j)} dy[b, oy, ox, d],
// the first maximum in row-major window order when values tie, as the cpu backend picks it.
// The stock kernel of tfjs-backend-wasm 4.22 loses or misplaces gradient with 'same' padding
// (relative errors 0.2 to 1 against the cpu backend: a 2×2 window at stride 1 or 2 that
// overhangs the bottom or right edge, and a 3×3 window at stride 1 inside a small U-Net). Here a
// JavaScript loop on the wasm heap recomputes each window's maximum and adds dy there.
import * as tf from '@tensorflow/tfjs-core';
import { KernelContext } from './kernel-context.js';

const NAME = 'MaxPoolGrad';

/**
 * MaxPoolGrad for wasm. Inputs dy: [batch, outHeight, outWidth, channels], input (x):
 * [batch, height, width, channels] and output (y, unused: the maxima are recomputed from x);
 * attributes `filterSize`, `strides`, `pad` and `dimRoundingMode` of the forward pool.
 * Output float32 of x's shape. A window whose values are all NaN or −Infinity passes no
 * gradient, as on cpu.
 */
export const maxPoolGradKernel: tf.KernelFunc = (args) => {
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  if (input.shape.length !== 4) throw new Error(`${NAME} on wasm: input must have rank 4 [batch, height, width, channels], got shape [${input.shape}].`);
  if (dy.dtype !== 'float32' || input.dtype !== 'float32') throw new Error(`${NAME} on wasm: dy and input must be float32, got ${dy.dtype} and ${input.dtype}.`);
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize as number | [number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as 'valid' | 'same' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const expected = info.outShape;
  if (dy.shape.length !== 4 || dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${NAME} on wasm: dy must have the pooled shape [${expected}] of input [${input.shape}], got [${dy.shape}].`);
  }
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const ctx = new KernelContext(args.backend);
  try {
    const dx = ctx.zeros([...input.shape], 'float32');
    if (tf.util.sizeFromShape(dy.shape) === 0) return ctx.keep(dx);
    const out = ctx.backend.typedArrayFromHeap(dx) as Float32Array;
    const x = ctx.backend.typedArrayFromHeap(input) as Float32Array;
    const grad = ctx.backend.typedArrayFromHeap(dy) as Float32Array;
    const best = new Float32Array(C);
    const at = new Int32Array(C);
    let from = 0;
    for (let b = 0; b < N; b++) {
      for (let oy = 0; oy < OH; oy++) {
        const top = oy * info.strideHeight - info.padInfo.top;
        const rowStart = Math.max(0, top);
        const rowEnd = Math.min(H, top + info.filterHeight);
        for (let ox = 0; ox < OW; ox++, from += C) {
          const left = ox * info.strideWidth - info.padInfo.left;
          const colStart = Math.max(0, left);
          const colEnd = Math.min(W, left + info.filterWidth);
          best.fill(-Infinity);
          at.fill(-1);
          for (let i = rowStart; i < rowEnd; i++) {
            for (let j = colStart; j < colEnd; j++) {
              const pixel = ((b * H + i) * W + j) * C;
              for (let d = 0; d < C; d++) {
                const v = x[pixel + d] as number;
                if (v > (best[d] as number)) {
                  best[d] = v;
                  at[d] = pixel + d;
                }
              }
            }
          }
          for (let d = 0; d < C; d++) {
            const to = at[d] as number;
            if (to >= 0) out[to] = (out[to] as number) + (grad[from + d] as number);
          }
        }
      }
    }
    return ctx.keep(dx);
  } finally {
    ctx.dispose();
  }
};
