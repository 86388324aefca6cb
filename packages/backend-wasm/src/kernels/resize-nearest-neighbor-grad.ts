// ResizeNearestNeighborGrad on wasm as a host kernel: the gradient of nearest resizing
// [b, H, W, c] → [b, Y, X, c] adds each dy pixel's channels into the image pixel the forward
// kernel copied it from, dx[b, r(y), s(x), :] += dy[b, y, x, :] with
//   r(y) = min(H − 1, ⌊ρ·y⌋),  ρ = H / Y                     (plain),
//   r(y) = min(H − 1, round(ρ·y)),  ρ = (H − 1)/(Y − 1)        (alignCorners, Y > 1),
//   y + ½ in place of y, then max(0, ·)                        (halfPixelCenters),
// and s(x) the same along the width: the adjoint of the forward kernels, as @pfm/backend-cpu
// computes it. The stock kernel searches a window of dy around every output value, some 6 ns per
// dy value on a U-Net's 2× upsampling ([64, 28, 28, 32] → [64, 14, 14, 32]: 9 ms), and ignores
// halfPixelCenters; this one reads dy once in memory order and adds in float32 in dy's order, as
// the cpu backend does, so the values are the cpu backend's bit for bit.
import * as tf from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasm-heap.js';

const NAME = 'ResizeNearestNeighborGrad';

/** Source pixel of each of `outSize` output rows (or columns) resized from `inSize`. */
function sourceIndices(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Int32Array {
  const corners = alignCorners && outSize > 1;
  const ratio = (corners ? inSize - 1 : inSize) / (corners ? outSize - 1 : outSize);
  const sources = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const fraction = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
    const nearest = Math.min(inSize - 1, alignCorners ? Math.round(fraction) : Math.floor(fraction));
    sources[i] = halfPixelCenters ? Math.max(0, nearest) : nearest;
  }
  return sources;
}

/**
 * ResizeNearestNeighborGrad for wasm. Inputs images [batch, height, width, channels] (only its
 * shape is read) and dy [batch, outHeight, outWidth, channels] float32; attributes
 * `alignCorners` and `halfPixelCenters` (those of the forward resize). Output float32 of images'
 * shape. Another dtype of dy goes to `stock`.
 */
export function resizeNearestNeighborGrad(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
    if (dy.dtype !== 'float32') return stock(args);
    if (images.shape.length !== 4 || dy.shape.length !== 4 || images.shape[0] !== dy.shape[0] || images.shape[3] !== dy.shape[3]) {
      throw new Error(`${NAME} on wasm: images [b, h, w, c] and dy [b, outHeight, outWidth, c] must agree in b and c, got images [${images.shape}] and dy [${dy.shape}].`);
    }
    const [batch, height, width, channels] = images.shape as [number, number, number, number];
    const [, outHeight, outWidth] = dy.shape as [number, number, number, number];
    const alignCorners = args.attrs?.alignCorners === true;
    const halfPixelCenters = args.attrs?.halfPixelCenters === true;
    const rows = sourceIndices(height, outHeight, alignCorners, halfPixelCenters);
    const columns = sourceIndices(width, outWidth, alignCorners, halfPixelCenters);
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput([...images.shape], 'float32');
    // Views after the allocation: an allocation may grow (and detach) the heap.
    const from = backend.typedArrayFromHeap(dy) as Float32Array;
    const dx = backend.typedArrayFromHeap(out) as Float32Array;
    dx.fill(0);
    let q = 0;
    for (let b = 0; b < batch; b++) {
      for (let y = 0; y < outHeight; y++) {
        const rowStart = (b * height + rows[y]!) * width;
        for (let x = 0; x < outWidth; x++) {
          const p = (rowStart + columns[x]!) * channels;
          for (let c = 0; c < channels; c++) dx[p + c] = dx[p + c]! + from[q++]!;
        }
      }
    }
    return out;
  };
}
