// core's conv-generator (DCGAN-style decoder; Radford, Metz & Chintala, ICLR 2016) as ONNX nodes.
// tfjs runs it in NHWC, ONNX convolutions are NCHW: the grid is transposed once after the dense
// projection and back before the final flattening, so the output rows are `[n, h·w·c]` in NHWC
// order as in pfm. Kernels move from tfjs's [k, k, cIn, cOut] (conv) and [k, k, cOut, cIn]
// (transposed conv) to ONNX's [cOut, cIn, k, k] and [cIn, cOut, k, k]: the same permutation (3, 2, 0, 1).
// Group norm (Wu & He 2018) normalises each group over (C/G, h, w) with ε = 1e-5.
import { convGeneratorOptionsSchema, type MapRecord } from '@pfm/core';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { activationNodes } from './activation-nodes.js';
import type { MapWeights } from './map-weights.js';
import { parseMapOptions } from './parse-map-options.js';

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

/** Appends the conv-generator of `record` to `z` `[n, inputDim]`; returns `[n, h·w·c]`. `opset` picks ReduceMean's form. */
export function convGeneratorNodes(g: GraphBuilder, z: string, record: MapRecord, weights: MapWeights, where: string, opset: number): string {
  const o = parseMapOptions(convGeneratorOptionsSchema, record, where);
  const [h, w, c] = o.outputShape;
  const ups = o.channels.length - 1;
  const h0 = Math.ceil(h / 2 ** ups);
  const w0 = Math.ceil(w / 2 ** ups);
  const c0 = o.channels[0]!;

  const reduceMean = (x: string) =>
    opset >= 18
      ? g.node('ReduceMean', [x, g.int64('axes', [2])], { keepdims: { int: 1 } })
      : g.node('ReduceMean', [x], { axes: { ints: [2] }, keepdims: { int: 1 } });
  const hidden = (x: string, channels: number, i: number): string => {
    let y = x;
    if (o.norm === 'group') {
      const scale = g.constant(`${where}/norm${i}/scale`, weights.next([channels]), [1, channels, 1, 1]);
      const shift = g.constant(`${where}/norm${i}/shift`, weights.next([channels]), [1, channels, 1, 1]);
      const grouped = g.node('Reshape', [x, g.int64('group_shape', [0, o.groups, -1])]);
      const centred = g.node('Sub', [grouped, reduceMean(grouped)]);
      const variance = reduceMean(g.node('Mul', [centred, centred]));
      const normalised = g.node('Div', [centred, g.node('Sqrt', [g.node('Add', [variance, g.constant('epsilon', [1e-5], [])])])]);
      const shape = g.node('Shape', [x]);
      y = g.node('Add', [g.node('Mul', [g.node('Reshape', [normalised, shape]), scale]), shift]);
    }
    return activationNodes(g, y, o.activation, `${where}.options`);
  };
  const conv = (x: string, name: string, cIn: number, cOut: number): string => {
    const kernel = g.constant(`${where}/${name}/kernel`, toOnnxKernel(weights.next([3, 3, cIn, cOut]), 3, cIn, cOut), [cOut, cIn, 3, 3]);
    const bias = g.constant(`${where}/${name}/bias`, weights.next([cOut]), [cOut]);
    return g.node('Conv', [x, kernel, bias], { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] }, strides: { ints: [1, 1] } });
  };

  const projectKernel = g.constant(`${where}/project/kernel`, weights.next([o.inputDim, h0 * w0 * c0]), [o.inputDim, h0 * w0 * c0]);
  const projectBias = g.constant(`${where}/project/bias`, weights.next([h0 * w0 * c0]), [h0 * w0 * c0]);
  const projected = g.node('Add', [g.node('MatMul', [z, projectKernel]), projectBias]);
  const grid = g.node('Transpose', [g.node('Reshape', [projected, g.int64('grid_shape', [-1, h0, w0, c0])])], { perm: { ints: [0, 3, 1, 2] } });
  let x = hidden(grid, c0, 0);
  for (let i = 1; i <= ups; i++) {
    const cIn = o.channels[i - 1]!;
    const cOut = o.channels[i]!;
    let up: string;
    if (o.upsample === 'transposed') {
      const kernel = g.constant(`${where}/up${i}/kernel`, toOnnxKernel(weights.next([4, 4, cOut, cIn]), 4, cOut, cIn), [cIn, cOut, 4, 4]);
      const bias = g.constant(`${where}/up${i}/bias`, weights.next([cOut]), [cOut]);
      up = g.node('ConvTranspose', [x, kernel, bias], { kernel_shape: { ints: [4, 4] }, pads: { ints: [1, 1, 1, 1] }, strides: { ints: [2, 2] } });
    } else {
      // Nearest ×2 as tf.image.resizeNearestNeighbor (no corner alignment): source index ⌊dst / 2⌋.
      const doubled = g.node('Resize', [x, '', g.constant('scale2', [1, 1, 2, 2], [4])], {
        mode: { string: 'nearest' },
        coordinate_transformation_mode: { string: 'asymmetric' },
        nearest_mode: { string: 'floor' },
      });
      up = conv(doubled, `up${i}`, cIn, cOut);
    }
    x = hidden(up, cOut, i);
  }
  let image = conv(x, 'out', o.channels[ups]!, c);
  if (h0 * 2 ** ups !== h || w0 * 2 ** ups !== w) {
    image = g.node('Slice', [image, g.int64('crop_start', [0, 0]), g.int64('crop_end', [h, w]), g.int64('crop_axes', [2, 3])]);
  }
  image = activationNodes(g, image, o.outputActivation, `${where}.options`);
  const nhwc = g.node('Transpose', [image], { perm: { ints: [0, 2, 3, 1] } });
  return g.node('Reshape', [nhwc, g.int64('rows_shape', [-1, h * w * c])]);
}
