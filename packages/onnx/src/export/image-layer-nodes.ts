// The layers of core's image maps (maps/layer-ops.ts) as ONNX nodes on NCHW values. tfjs runs
// them in NHWC; kernels move from tfjs's [k, k, cIn, cOut] to ONNX's [cOut, cIn, k, k] (and
// [k, k, cOut, cIn] → [cIn, cOut, k, k] for transposed convolutions: the same permutation).
//   conv:       'same' padding as TensorFlow computes it: total p = max((⌈s_in/stride⌉ − 1)·stride + k − s_in, 0),
//               ⌊p/2⌋ before and the rest after;
//   group norm: (Wu & He 2018) each group of C/G channels normalised over (C/G, h, w), ε = 1e-5;
//   upsample:   nearest ×2 as tf.image.resizeNearestNeighbor without corner alignment (source ⌊dst/2⌋).
import type { GraphBuilder } from '../graph/graph-builder.js';

/** The kernel `[k, k, a, b]` (row-major) permuted to `[b, a, k, k]`. */
function toOnnxKernel(values: Float32Array, k: number, a: number, b: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let y = 0; y < k; y++) {
    for (let x = 0; x < k; x++) {
      for (let i = 0; i < a; i++) {
        for (let o = 0; o < b; o++) out[((o * a + i) * k + y) * k + x] = values[((y * k + x) * a + i) * b + o]!;
      }
    }
  }
  return out;
}

/** 'same' padding of one spatial axis: [before, after]. */
function samePadding(size: number, k: number, stride: number): [number, number] {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + k - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Layer builders on NCHW values of one graph. */
export interface ImageLayerNodes {
  /** 'same'-padded k×k convolution (tfjs kernel `[k, k, cIn, cOut]`) of an input `[n, cIn, h, w]`. */
  conv(x: string, name: string, kernel: Float32Array, bias: Float32Array, k: number, cIn: number, cOut: number, size: readonly [number, number], stride?: 1 | 2): string;
  /** Transposed 4×4 convolution of stride 2 (tfjs kernel `[4, 4, cOut, cIn]`): `[n, cIn, h, w]` → `[n, cOut, 2h, 2w]`. */
  convTranspose(x: string, name: string, kernel: Float32Array, bias: Float32Array, cIn: number, cOut: number): string;
  /** Group normalisation with per-channel scale and shift `[channels]`. */
  groupNorm(x: string, name: string, scale: Float32Array, shift: Float32Array, channels: number, groups: number): string;
  /** Nearest-neighbour ×2 upsampling. */
  upsample(x: string): string;
}

/** The layer builders of `g`; `opset` chooses ReduceMean's form (axes as input from opset 18). */
export function imageLayerNodes(g: GraphBuilder, opset: number): ImageLayerNodes {
  const reduceMean = (x: string) =>
    opset >= 18
      ? g.node('ReduceMean', [x, g.int64('axes', [2])], { keepdims: { int: 1 } })
      : g.node('ReduceMean', [x], { axes: { ints: [2] }, keepdims: { int: 1 } });
  return {
    conv(x, name, kernel, bias, k, cIn, cOut, size, stride = 1) {
      const [top, bottom] = samePadding(size[0], k, stride);
      const [left, right] = samePadding(size[1], k, stride);
      const w = g.constant(`${name}/kernel`, toOnnxKernel(kernel, k, cIn, cOut), [cOut, cIn, k, k]);
      const b = g.constant(`${name}/bias`, bias, [cOut]);
      return g.node('Conv', [x, w, b], { kernel_shape: { ints: [k, k] }, pads: { ints: [top, left, bottom, right] }, strides: { ints: [stride, stride] } });
    },
    convTranspose(x, name, kernel, bias, cIn, cOut) {
      const w = g.constant(`${name}/kernel`, toOnnxKernel(kernel, 4, cOut, cIn), [cIn, cOut, 4, 4]);
      const b = g.constant(`${name}/bias`, bias, [cOut]);
      return g.node('ConvTranspose', [x, w, b], { kernel_shape: { ints: [4, 4] }, pads: { ints: [1, 1, 1, 1] }, strides: { ints: [2, 2] } });
    },
    groupNorm(x, name, scale, shift, channels, groups) {
      const gamma = g.constant(`${name}/scale`, scale, [1, channels, 1, 1]);
      const beta = g.constant(`${name}/shift`, shift, [1, channels, 1, 1]);
      const grouped = g.node('Reshape', [x, g.int64('group_shape', [0, groups, -1])]);
      const centred = g.node('Sub', [grouped, reduceMean(grouped)]);
      const variance = reduceMean(g.node('Mul', [centred, centred]));
      const normalised = g.node('Div', [centred, g.node('Sqrt', [g.node('Add', [variance, g.constant('epsilon', [1e-5], [])])])]);
      return g.node('Add', [g.node('Mul', [g.node('Reshape', [normalised, g.node('Shape', [x])]), gamma]), beta]);
    },
    upsample(x) {
      return g.node('Resize', [x, '', g.constant('scale2', [1, 1, 2, 2], [4])], {
        mode: { string: 'nearest' },
        coordinate_transformation_mode: { string: 'asymmetric' },
        nearest_mode: { string: 'floor' },
      });
    },
  };
}
