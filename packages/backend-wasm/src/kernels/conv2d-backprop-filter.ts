// Conv2DBackpropFilter on wasm (tfjs-backend-wasm 4.22 has none, so no convolution could be
// trained on wasm): the gradient of y = conv(x, w) with respect to the filter,
//   dw[kh, kw, ci, co] = Σ_{b, oy, ox} x[b, oy·sh + kh·dh − top, ox·sw + kw·dw − left, ci] · dy[b, oy, ox, co],
// computed as one matrix product per group of images, dw = cols · dy with cols the transposed
// patches of x ([KH·KW·CI, P], see transposed-patches.ts) and dy seen as [P, CO]: the sum over
// the P = images·OH·OW output positions runs in the wasm BatchMatMul (XNNPACK) instead of a loop.
import * as tf from '@tensorflow/tfjs-core';
import { conv2dDataFormat, conv2dGeometry } from './conv2d-geometry.js';
import { KernelContext } from './kernel-context.js';
import { writeTransposedPatches } from './transposed-patches.js';

/**
 * Float32 values of patches held at once (16 MiB): a larger batch is cut into groups of whole
 * images whose partial gradients are added, so the wasm heap never grows by a full
 * [KH·KW·CI, batch·OH·OW] matrix (58 MB for a 3×3, 32-channel layer on 64 MNIST images).
 */
export const PATCH_BUDGET = 1 << 22;

const NAME = 'Conv2DBackpropFilter';

/**
 * Conv2DBackpropFilter for wasm. Inputs x: [batch, height, width, inChannels] and dy:
 * [batch, outHeight, outWidth, outChannels] (or both channels-first with dataFormat 'NCHW',
 * transposed to NHWC first); attributes `filterShape` [kh, kw, inChannels, outChannels],
 * `strides`, `pad` ('same', 'valid', a number or explicit [[0, 0], [top, bottom], [left,
 * right], [0, 0]]), `dimRoundingMode`, and `dilations` when given (tfjs's own ops pass none:
 * 1). Output float32 `filterShape`, as on the cpu backend.
 */
export const conv2dBackpropFilterKernel: tf.KernelFunc = (args) => {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  const format = conv2dDataFormat(NAME, attrs.dataFormat);
  for (const [field, t] of [['x', x], ['dy', dy]] as const) {
    if (t.dtype !== 'float32') throw new Error(`${NAME} on wasm: ${field} must be float32, got ${t.dtype}.`);
    if (t.shape.length !== 4) throw new Error(`${NAME} on wasm: ${field} must have rank 4, got shape [${t.shape}].`);
  }
  const filterShape = attrs.filterShape as number[] | undefined;
  if (!Array.isArray(filterShape) || filterShape.length !== 4 || !filterShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${NAME} on wasm: filterShape must be 4 positive integers [height, width, inChannels, outChannels], got ${JSON.stringify(filterShape)}.`);
  }
  const ctx = new KernelContext(args.backend);
  try {
    const xShape = format === 'NCHW' ? [x.shape[0], x.shape[2], x.shape[3], x.shape[1]] as number[] : x.shape;
    const dyNhwc = format === 'NCHW' ? ctx.run('Transpose', { x: dy }, { perm: [0, 2, 3, 1] }) : dy;
    const g = conv2dGeometry(NAME, xShape, filterShape, attrs);
    const expected = [g.batch, g.outHeight, g.outWidth, g.outChannels];
    if (dyNhwc.shape.some((d, i) => d !== expected[i])) {
      throw new Error(`${NAME} on wasm: dy must have shape [${expected}] (NHWC) for x [${xShape}] and filter [${filterShape}], got [${dyNhwc.shape}].`);
    }
    // The patches are copied from x's channel planes, [CI, N, H, W]: contiguous runs.
    const planes = ctx.run('Transpose', { x }, { perm: format === 'NCHW' ? [1, 0, 2, 3] : [3, 0, 1, 2] });
    const out = ctx.zeros([...filterShape], 'float32');
    const taps = g.filterHeight * g.filterWidth * g.inChannels;
    const perImage = g.outHeight * g.outWidth;
    if (perImage === 0 || g.batch === 0) return ctx.keep(out);
    const imagesPerGroup = Math.max(1, Math.floor(PATCH_BUDGET / (taps * perImage)));
    for (let first = 0; first < g.batch; first += imagesPerGroup) {
      const images = Math.min(imagesPerGroup, g.batch - first);
      const columns = images * perImage;
      const group = new KernelContext(args.backend);
      try {
        // Allocate before taking heap views: an allocation may grow (and detach) the heap. dy's
        // rows get a buffer of their own: the stock matMul caches its right operand by buffer id.
        const cols = group.empty([1, taps, columns], 'float32');
        const rows = group.empty([1, columns, g.outChannels], 'float32');
        const heap = group.backend;
        writeTransposedPatches(heap.typedArrayFromHeap(cols) as Float32Array, heap.typedArrayFromHeap(planes) as Float32Array, g, first, images);
        const dyValues = heap.typedArrayFromHeap(dyNhwc) as Float32Array;
        (heap.typedArrayFromHeap(rows) as Float32Array).set(dyValues.subarray(first * perImage * g.outChannels, (first + images) * perImage * g.outChannels));
        const part = group.run('BatchMatMul', { a: cols, b: rows }, { transposeA: false, transposeB: false });
        const sum = heap.typedArrayFromHeap(out) as Float32Array;
        const add = heap.typedArrayFromHeap(part) as Float32Array;
        for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (add[i] as number);
      } finally {
        group.dispose();
      }
    }
    return ctx.keep(out);
  } finally {
    ctx.dispose();
  }
};
