// The forward passes of the layers declared with layerParameters, on NHWC tensors.
// Group normalisation (Wu & He 2018): split the C channels into G groups, normalise each group of
// each sample over (h, w, C/G), y = γ·(x − mean)/√(var + ε) + β with ε = 1e-5 (PyTorch's default),
// differentiated in closed form (group-norm.ts).
import * as tf from '@tensorflow/tfjs-core';
import { groupNorm } from './group-norm.js';
import type { ScaleShiftLayer, WeightLayer } from './layer-parameters.js';

/** Layer forward passes used by the image maps. */
export const layerOps = {
  /** x W + b: `[n, in]` → `[n, out]`. */
  dense(x: tf.Tensor2D, layer: WeightLayer): tf.Tensor2D {
    return tf.add(tf.matMul(x, layer.kernel as tf.Tensor2D), layer.bias);
  },
  /** 'same'-padded convolution with stride 1 or 2: `[n, h, w, cIn]` → `[n, ⌈h/s⌉, ⌈w/s⌉, cOut]`. */
  conv(x: tf.Tensor4D, layer: WeightLayer, stride: 1 | 2 = 1): tf.Tensor4D {
    return tf.add(tf.conv2d(x, layer.kernel as tf.Tensor4D, stride, 'same'), layer.bias);
  },
  /** The convolution of `conv` without its bias, for a caller that adds the bias together with another term. */
  convWithoutBias(x: tf.Tensor4D, layer: WeightLayer, stride: 1 | 2 = 1): tf.Tensor4D {
    return tf.conv2d(x, layer.kernel as tf.Tensor4D, stride, 'same');
  },
  /** Transposed convolution with stride 2: `[n, h, w, cIn]` → `[n, 2h, 2w, cOut]`. */
  convTranspose(x: tf.Tensor4D, layer: WeightLayer): tf.Tensor4D {
    const [n, h, w] = x.shape;
    const cOut = layer.bias.shape[0]!;
    return tf.add(tf.conv2dTranspose(x, layer.kernel as tf.Tensor4D, [n, 2 * h, 2 * w, cOut], 2, 'same'), layer.bias);
  },
  /** Nearest-neighbour ×2 upsampling: `[n, h, w, c]` → `[n, 2h, 2w, c]`. */
  upsample(x: tf.Tensor4D): tf.Tensor4D {
    return tf.image.resizeNearestNeighbor(x, [2 * x.shape[1], 2 * x.shape[2]]);
  },
  /** Group normalisation with `groups` groups (it must divide the channel count). */
  groupNorm(x: tf.Tensor4D, layer: ScaleShiftLayer, groups: number): tf.Tensor4D {
    return groupNorm(x, { scale: layer.scale, shift: layer.shift, groups });
  },
  /** The top-left `[h, w]` window of `[n, H, W, c]` (H ≥ h, W ≥ w). */
  crop(x: tf.Tensor4D, h: number, w: number): tf.Tensor4D {
    return x.shape[1] === h && x.shape[2] === w ? x : tf.slice(x, [0, 0, 0, 0], [-1, h, w, -1]);
  },
  /** Zero padding at the bottom and right up to `[n, h, w, c]`. */
  pad(x: tf.Tensor4D, h: number, w: number): tf.Tensor4D {
    const [, xh, xw] = x.shape;
    return xh === h && xw === w ? x : tf.pad(x, [[0, 0], [0, h - xh], [0, w - xw], [0, 0]]);
  },
};
