// The geometry of a 2-D convolution y = conv(x, w) in NHWC, as tfjs computes it
// (backend_util.computeConv2DInfo): output size, padding before each axis, strides, dilations.
//   y[b, oy, ox, co] = Σ_{kh, kw, ci} x[b, oy·sh + kh·dh − top, ox·sw + kw·dw − left, ci] · w[kh, kw, ci, co]
// (x read as 0 outside the image). The im2col kernels of this package share it.
import * as tf from '@tensorflow/tfjs-core';

/** Sizes and offsets of one NHWC convolution. */
export interface Conv2dGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  /** Rows of zeros before the image (top) and columns before it (left). */
  padTop: number;
  padLeft: number;
}

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/**
 * The geometry of the convolution of an NHWC input of `inShape` by a filter of `filterShape`
 * ([kh, kw, inChannels, outChannels]) with tfjs's attributes `strides`, `pad`, `dilations`
 * (default 1) and `dimRoundingMode`. `kernel` names the caller in errors.
 */
export function conv2dGeometry(
  kernel: string,
  inShape: readonly number[],
  filterShape: readonly number[],
  attrs: tf.NamedAttrMap,
): Conv2dGeometry {
  if (inShape.length !== 4) throw new Error(`${kernel} on wasm: the input must have rank 4 [batch, height, width, channels], got shape [${inShape}].`);
  if (filterShape.length !== 4) throw new Error(`${kernel} on wasm: filterShape must have 4 entries [height, width, inChannels, outChannels], got [${filterShape}].`);
  if (inShape[3] !== filterShape[2]) {
    throw new Error(`${kernel} on wasm: the input has ${inShape[3]} channels but the filter shape [${filterShape}] expects ${filterShape[2]}.`);
  }
  const dilations = (attrs.dilations ?? 1) as number | [number, number];
  const info = tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    dilations,
    attrs.pad as Pad,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** The data format attribute as 'NHWC' or 'NCHW' (tfjs's default NHWC when absent); anything else is refused. */
export function conv2dDataFormat(kernel: string, dataFormat: unknown): 'NHWC' | 'NCHW' {
  if (dataFormat === undefined || dataFormat === 'NHWC' || dataFormat === 'channelsLast') return 'NHWC';
  if (dataFormat === 'NCHW' || dataFormat === 'channelsFirst') return 'NCHW';
  throw new Error(`${kernel} on wasm: dataFormat must be 'NHWC' or 'NCHW', got ${JSON.stringify(dataFormat)}.`);
}
