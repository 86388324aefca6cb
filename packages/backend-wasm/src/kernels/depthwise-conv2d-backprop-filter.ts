// DepthwiseConv2dNativeBackpropFilter on wasm (tfjs-backend-wasm 4.22 has none): the filter
// gradient of the depthwise convolution y[b, oy, ox, c·M + m] = Σ_{kh, kw} x[b, iy, ix, c] · w[kh, kw, c, m],
//   dw[kh, kw, c, m] = Σ_{b, oy, ox} x[b, oy·sh + kh·dh − top, ox·sw + kw·dw − left, c] · dy[b, oy, ox, c·M + m],
// as a JavaScript loop on the wasm heap, summed in float64 like the cpu kernel: each output
// channel sees a single input channel, so there is no matrix product to hand to XNNPACK.
import * as tf from '@tensorflow/tfjs-core';
import { conv2dGeometry } from './conv2d-geometry.js';
import { KernelContext } from './kernel-context.js';

const NAME = 'DepthwiseConv2dNativeBackpropFilter';

/**
 * DepthwiseConv2dNativeBackpropFilter for wasm. Inputs x: [batch, height, width, C] and dy:
 * [batch, outHeight, outWidth, C·M]; attributes `filterShape` [kh, kw, C, M], `strides`,
 * `dilations`, `pad` and `dimRoundingMode`. Output float32 `filterShape`, as on the cpu backend.
 */
export const depthwiseConv2dBackpropFilterKernel: tf.KernelFunc = (args) => {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  for (const [field, t] of [['x', x], ['dy', dy]] as const) {
    if (t.dtype !== 'float32') throw new Error(`${NAME} on wasm: ${field} must be float32, got ${t.dtype}.`);
  }
  const filterShape = attrs.filterShape as number[] | undefined;
  if (!Array.isArray(filterShape) || filterShape.length !== 4 || !filterShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${NAME} on wasm: filterShape must be 4 positive integers [height, width, inChannels, channelMultiplier], got ${JSON.stringify(filterShape)}.`);
  }
  const g = conv2dGeometry(NAME, x.shape, filterShape, attrs);
  const [KH, KW, C, M] = filterShape as [number, number, number, number];
  const expected = [g.batch, g.outHeight, g.outWidth, C * M];
  if (dy.shape.length !== 4 || dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${NAME} on wasm: dy must have shape [${expected}] for x [${x.shape}] and filter [${filterShape}], got [${dy.shape}].`);
  }
  const ctx = new KernelContext(args.backend);
  try {
    const out = ctx.zeros([...filterShape], 'float32');
    const sums = new Float64Array(KH * KW * C * M);
    const xs = ctx.backend.typedArrayFromHeap(x) as Float32Array;
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
                const v = xs[pixel + c] as number;
                for (let m = 0; m < M; m++) sums[tap + c * M + m] = (sums[tap + c * M + m] as number) + v * (dys[grad + c * M + m] as number);
              }
            }
          }
        }
      }
    }
    (ctx.backend.typedArrayFromHeap(out) as Float32Array).set(sums);
    return ctx.keep(out);
  } finally {
    ctx.dispose();
  }
};
