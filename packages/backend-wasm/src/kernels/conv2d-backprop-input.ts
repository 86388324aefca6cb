// Conv2DBackpropInput on wasm: the gradient of y = conv(x, w) with respect to x (and the
// forward pass of tf.conv2dTranspose),
//   dx[b, iy, ix, ci] = Σ dy[b, oy, ox, co] · w[kh, kw, ci, co] over iy = oy·sh + kh·dh − top, ix = ox·sw + kw·dw − left,
// With stride 1 it is the convolution of dy by the filter turned by 180° with its channel axes
// swapped, run by the wasm Conv2D kernel (XNNPACK); with other strides it is one matrix product
// per group of images, cols = dy · wᵀ ([P, CO] · [CO, KH·KW·CI]), whose rows are added back at
// the positions they came from (col2im, add-patches.ts). The stock
// kernel of tfjs-backend-wasm 4.22 is a direct loop that does not use XNNPACK: 10x slower on a
// 3×3, 32-channel layer of 64 MNIST-sized images (see the package README).
import * as tf from '@tensorflow/tfjs-core';
import { addPatches } from './add-patches.js';
import { conv2dDataFormat, conv2dGeometry, type Conv2dGeometry } from './conv2d-geometry.js';
import { PATCH_BUDGET } from './conv2d-backprop-filter.js';
import { KernelContext } from './kernel-context.js';

const NAME = 'Conv2DBackpropInput';

/**
 * Conv2DBackpropInput for wasm. Inputs dy: [batch, outHeight, outWidth, outChannels] (or
 * channels-first with dataFormat 'NCHW') and filter: [kh, kw, inChannels, outChannels];
 * attributes `inputShape` (the shape of x, in dataFormat), `strides`, `pad` ('same',
 * 'valid', a number or explicit), `dimRoundingMode`, and `dilations` when given (tfjs's own
 * ops pass none: 1). Output float32 `inputShape`, as on the cpu backend.
 */
export const conv2dBackpropInputKernel: tf.KernelFunc = (args) => {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  const format = conv2dDataFormat(NAME, attrs.dataFormat);
  for (const [field, t] of [['dy', dy], ['filter', filter]] as const) {
    if (t.dtype !== 'float32') throw new Error(`${NAME} on wasm: ${field} must be float32, got ${t.dtype}.`);
    if (t.shape.length !== 4) throw new Error(`${NAME} on wasm: ${field} must have rank 4, got shape [${t.shape}].`);
  }
  const inputShape = attrs.inputShape as number[] | undefined;
  if (!Array.isArray(inputShape) || inputShape.length !== 4 || !inputShape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${NAME} on wasm: inputShape must be 4 non-negative integers, got ${JSON.stringify(inputShape)}.`);
  }
  const nhwc = (s: readonly number[]): number[] => (format === 'NCHW' ? [s[0], s[2], s[3], s[1]] as number[] : [...s]);
  const g = conv2dGeometry(NAME, nhwc(inputShape), filter.shape, attrs);
  const expected = [g.batch, g.outHeight, g.outWidth, g.outChannels];
  const dyShape = nhwc(dy.shape);
  if (dyShape.some((d, i) => d !== expected[i])) {
    throw new Error(`${NAME} on wasm: dy must have shape [${expected}] (NHWC) for inputShape [${inputShape}] and filter [${filter.shape}], got [${dy.shape}].`);
  }
  const ctx = new KernelContext(args.backend);
  try {
    const dyNhwc = format === 'NCHW' ? ctx.run('Transpose', { x: dy }, { perm: [0, 2, 3, 1] }) : dy;
    const flipped = flippedConvolution(g);
    if (flipped !== undefined && tf.util.sizeFromShape(dyNhwc.shape) > 0 && tf.util.sizeFromShape(filter.shape) > 0) {
      // Stride 1: dx is itself a convolution, run by the wasm Conv2D kernel (XNNPACK).
      const dxNhwc = ctx.run('Conv2D', { x: dyNhwc, filter: flipFilter(ctx, filter) }, flipped);
      return ctx.keep(format === 'NHWC' ? dxNhwc : ctx.run('Transpose', { x: dxNhwc }, { perm: [0, 3, 1, 2] }));
    }
    const dx = ctx.zeros(nhwc(inputShape), 'float32');
    const taps = g.filterHeight * g.filterWidth * g.inChannels;
    const perImage = g.outHeight * g.outWidth;
    if (perImage > 0 && g.batch > 0 && taps > 0 && g.outChannels > 0) {
      // wᵀ as [CO, KH·KW·CI], in a buffer of its own (the stock matMul caches its right operand by buffer id).
      const filterT = ctx.run('Transpose', { x: ctx.view(filter, [1, taps, g.outChannels]) }, { perm: [0, 2, 1] });
      const imagesPerGroup = Math.max(1, Math.floor(PATCH_BUDGET / (taps * perImage)));
      for (let first = 0; first < g.batch; first += imagesPerGroup) {
        const images = Math.min(imagesPerGroup, g.batch - first);
        const rows = images * perImage;
        const group = new KernelContext(args.backend);
        try {
          let a: tf.TensorInfo;
          if (images === g.batch) {
            a = group.view(dyNhwc, [1, rows, g.outChannels]);
          } else {
            a = group.empty([1, rows, g.outChannels], 'float32');
            const from = first * perImage * g.outChannels;
            (group.backend.typedArrayFromHeap(a) as Float32Array).set((group.backend.typedArrayFromHeap(dyNhwc) as Float32Array).subarray(from, from + rows * g.outChannels));
          }
          const cols = group.run('BatchMatMul', { a, b: filterT }, { transposeA: false, transposeB: false });
          addPatches(group.backend.typedArrayFromHeap(dx) as Float32Array, group.backend.typedArrayFromHeap(cols) as Float32Array, g, first, images);
        } finally {
          group.dispose();
        }
      }
    }
    if (format === 'NHWC') return ctx.keep(dx);
    return ctx.keep(ctx.run('Transpose', { x: dx }, { perm: [0, 3, 1, 2] }));
  } finally {
    ctx.dispose();
  }
};

/**
 * For stride 1, the attributes of the convolution that gives dx from dy:
 *   dx[iy, ix] = Σ_{kh, kw} dy[iy + kh·dh − top', ix + kw·dw − left'] · w'[kh, kw], w'[kh, kw, co, ci] = w[KH−1−kh, KW−1−kw, ci, co],
 * with top' = (KH−1)·dh − top and bottom' = H − OH + top (likewise for the width); undefined when
 * a stride is not 1 or a padding would be negative (a forward padding wider than the dilated filter).
 */
function flippedConvolution(g: Conv2dGeometry): tf.NamedAttrMap | undefined {
  if (g.strideHeight !== 1 || g.strideWidth !== 1) return undefined;
  const top = (g.filterHeight - 1) * g.dilationHeight - g.padTop;
  const bottom = g.inHeight - g.outHeight + g.padTop;
  const left = (g.filterWidth - 1) * g.dilationWidth - g.padLeft;
  const right = g.inWidth - g.outWidth + g.padLeft;
  if (Math.min(top, bottom, left, right) < 0) return undefined;
  return {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: 'NHWC',
    dilations: [g.dilationHeight, g.dilationWidth],
  };
}

/** w' [KH, KW, CO, CI] from w [KH, KW, CI, CO]: turned by 180° with its channel axes swapped, in a fresh buffer. */
function flipFilter(ctx: KernelContext, filter: tf.TensorInfo): tf.TensorInfo {
  const [KH, KW, CI, CO] = filter.shape as [number, number, number, number];
  const out = ctx.empty([KH, KW, CO, CI], 'float32');
  const w = ctx.backend.typedArrayFromHeap(filter) as Float32Array;
  const flipped = ctx.backend.typedArrayFromHeap(out) as Float32Array;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const from = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * CI * CO;
      const to = (kh * KW + kw) * CO * CI;
      for (let ci = 0; ci < CI; ci++) for (let co = 0; co < CO; co++) flipped[to + co * CI + ci] = w[from + ci * CO + co] as number;
    }
  }
  return out;
}
