// The gradient of nearest-neighbour resizing as the exact adjoint of tfjs's cpu forward kernel:
// output pixel (b, y, x) copies input pixel (b, r(y), c(x)) with
//   r(y) = min(H − 1, round_or_floor(s_h · (y + ½·halfPixelCenters)))  (then max(0, ·) with half-pixel centers),
// s_h = H'/Y' where H', Y' are the input and output heights (minus one each with alignCorners and
// Y > 1), so dx[b, r, c] = Σ_{y, x : r(y) = r, c(x) = c} dy[b, y, x]. tfjs-backend-cpu 4.22's own
// kernel reads dy at the images' batch offset (wrong for every image after the first when the
// sizes differ) and ignores halfPixelCenters; this one replaces it.
import * as tf from '@tensorflow/tfjs-core';

interface CpuData {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** The source index of output coordinate `i` along one axis (the cpu forward kernel's rule). */
function sourceIndex(i: number, ratio: number, inputSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const frac = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
  const nearest = Math.min(inputSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
  return halfPixelCenters ? Math.max(0, nearest) : nearest;
}

/** Input-over-output size ratio of one axis, as the forward kernel computes it. */
function sizeRatio(inputSize: number, outputSize: number, alignCorners: boolean): number {
  const corners = alignCorners && outputSize > 1;
  return (corners ? inputSize - 1 : inputSize) / (corners ? outputSize - 1 : outputSize);
}

/** `ResizeNearestNeighborGrad` for the cpu backend: dx `[B, H, W, C]` from dy `[B, Y, X, C]`. */
export function resizeNearestNeighborGrad({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const images = inputs.images!;
  const dy = inputs.dy!;
  const alignCorners = Boolean(attrs?.alignCorners);
  const halfPixelCenters = Boolean(attrs?.halfPixelCenters);
  const cpu = backend as CpuData;
  const [batch, height, width, channels] = images.shape as [number, number, number, number];
  const [, outHeight, outWidth] = dy.shape as [number, number, number, number];
  const dyValues = cpu.data.get(dy.dataId).values;
  const dx = new Float32Array(batch * height * width * channels);
  const rowRatio = sizeRatio(height, outHeight, alignCorners);
  const colRatio = sizeRatio(width, outWidth, alignCorners);
  const rows = Int32Array.from({ length: outHeight }, (_, y) => sourceIndex(y, rowRatio, height, alignCorners, halfPixelCenters));
  const cols = Int32Array.from({ length: outWidth }, (_, x) => sourceIndex(x, colRatio, width, alignCorners, halfPixelCenters));
  let q = 0;
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < outHeight; y++) {
      const rowBase = (b * height + rows[y]!) * width;
      for (let x = 0; x < outWidth; x++) {
        const p = (rowBase + cols[x]!) * channels;
        for (let c = 0; c < channels; c++) dx[p + c] = dx[p + c]! + dyValues[q++]!;
      }
    }
  }
  return cpu.makeTensorInfo(images.shape, 'float32', dx);
}

/** The corrected kernel as a tfjs kernel function. */
export const resizeNearestNeighborGradKernel: tf.KernelFunc = resizeNearestNeighborGrad as unknown as tf.KernelFunc;
