// DepthwiseConv2dNativeBackpropInput on wasm (tfjs-backend-wasm 4.22 has none): the input
// gradient of the depthwise convolution y[b, oy, ox, c·M + m] = Σ_{kh, kw} x[b, iy, ix, c] · w[kh, kw, c, m],
//   dx[b, iy, ix, c] = Σ dy[b, oy, ox, c·M + m] · w[kh, kw, c, m] over iy = oy·sh + kh·dh − top, ix = ox·sw + kw·dw − left,
// as a JavaScript loop on the wasm heap (each dy value added to the input pixels it was computed
// from), summed in float64 like the cpu kernel.
import * as tf from '@tensorflow/tfjs-core';
import { conv2dGeometry } from './conv2d-geometry.js';
import { KernelContext } from './kernel-context.js';

const NAME = 'DepthwiseConv2dNativeBackpropInput';

/**
 * DepthwiseConv2dNativeBackpropInput for wasm. Inputs dy: [batch, outHeight, outWidth, C·M] and
 * filter: [kh, kw, C, M]; attributes `inputShape` [batch, height, width, C], `strides`,
 * `dilations`, `pad` and `dimRoundingMode`. Output float32 `inputShape`, as on the cpu backend.
 */
export const depthwiseConv2dBackpropInputKernel: tf.KernelFunc = (args) => {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  for (const [field, t] of [['dy', dy], ['filter', filter]] as const) {
    if (t.dtype !== 'float32') throw new Error(`${NAME} on wasm: ${field} must be float32, got ${t.dtype}.`);
  }
  const inputShape = attrs.inputShape as number[] | undefined;
  if (!Array.isArray(inputShape) || inputShape.length !== 4 || !inputShape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${NAME} on wasm: inputShape must be 4 non-negative integers, got ${JSON.stringify(inputShape)}.`);
  }
  const g = conv2dGeometry(NAME, inputShape, filter.shape, attrs);
  const [KH, KW, C, M] = filter.shape as [number, number, number, number];
  const expected = [g.batch, g.outHeight, g.outWidth, C * M];
  if (dy.shape.length !== 4 || dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${NAME} on wasm: dy must have shape [${expected}] for inputShape [${inputShape}] and filter [${filter.shape}], got [${dy.shape}].`);
  }
  const ctx = new KernelContext(args.backend);
  try {
    const dx = ctx.zeros([...inputShape], 'float32');
    const sums = new Float64Array(tf.util.sizeFromShape(inputShape));
    const ws = ctx.backend.typedArrayFromHeap(filter) as Float32Array;
    const dys = ctx.backend.typedArrayFromHeap(dy) as Float32Array;
    const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = g;
    for (let b = 0; b < g.batch; b++) {
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          const grad = ((b * OH + oy) * OW + ox) * C * M;
          for (let kh = 0; kh < KH; kh++) {
            const iy = oy * g.strideHeight + kh * g.dilationHeight - g.padTop;
            if (iy < 0 || iy >= H) continue;
            for (let kw = 0; kw < KW; kw++) {
              const ix = ox * g.strideWidth + kw * g.dilationWidth - g.padLeft;
              if (ix < 0 || ix >= W) continue;
              const pixel = ((b * H + iy) * W + ix) * C;
              const tap = (kh * KW + kw) * C * M;
              for (let c = 0; c < C; c++) {
                let sum = 0;
                for (let m = 0; m < M; m++) sum += (dys[grad + c * M + m] as number) * (ws[tap + c * M + m] as number);
                sums[pixel + c] = (sums[pixel + c] as number) + sum;
              }
            }
          }
        }
      }
    }
    (ctx.backend.typedArrayFromHeap(dx) as Float32Array).set(sums);
    return ctx.keep(dx);
  } finally {
    ctx.dispose();
  }
};
