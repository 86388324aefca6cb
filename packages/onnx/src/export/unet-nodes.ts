// core's unet velocity field v(t, x) (Ronneberger et al., MICCAI 2015; the DDPM variant of Ho et al.,
// NeurIPS 2020, appendix B) as ONNX nodes on NCHW values: a sinusoidal time embedding with
// ω_k = timeScale·10000^(−k/(F−1)) through two dense SiLU layers; residual blocks
// x + conv(σ(GN(conv(σ(GN(x))) + W_t e(t)))) (a 1×1 conv on the skip when the width changes);
// stride-2 3×3 convs down, nearest ×2 + 3×3 conv up, skips concatenated on the channels; the
// image is zero-padded at the bottom and right to a multiple of 2^(L−1) and cropped back. A
// conditional field adds the condition embedding e(c) (width 4C) to the time embedding before its
// last SiLU, as pfm's unet does.
import { conditionSpecOf, unetOptionsSchema, type MapRecord } from '@pfm/core';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { activationNodes } from './activation-nodes.js';
import { conditionEmbeddingNodes, type ConditionRowsInput } from './condition-embedding-nodes.js';
import { OnnxError } from './onnx-error.js';
import { imageLayerNodes } from './image-layer-nodes.js';
import { namedWeights } from './named-weights.js';
import { parseMapOptions } from './parse-map-options.js';

/**
 * Appends v(t, x) of the unet `record` for `x` `[n, h·w·c]` and the time column `t` `[n, 1]`;
 * returns `[n, h·w·c]`. A conditional record (option `condition`) needs `condition`: v(t, x | c).
 */
export function unetNodes(g: GraphBuilder, t: string, x: string, record: MapRecord, where: string, opset: number, condition?: ConditionRowsInput): string {
  const o = parseMapOptions(unetOptionsSchema, record, where);
  if ((o.condition === undefined) !== (condition === undefined)) {
    throw new OnnxError(`${where}.options.condition: the export ${condition ? 'gives a condition to an unconditional' : 'gives no condition to a conditional'} unet`);
  }
  const weights = namedWeights(record, where);
  const layers = imageLayerNodes(g, opset);
  const [h, w, c] = o.shape;
  const levels = o.channelMult.length;
  const multiple = 2 ** (levels - 1);
  const [ph, pw] = [Math.ceil(h / multiple) * multiple, Math.ceil(w / multiple) * multiple];
  const widths = o.channelMult.map((m) => m * o.channels);
  const frequencies = o.timeFrequencies;
  const timeWidth = 4 * o.channels;
  const silu = (v: string) => activationNodes(g, v, 'silu', `${where}.options`);
  const dense = (v: string, name: string, fanIn: number, fanOut: number) =>
    g.node('Add', [
      g.node('MatMul', [v, g.constant(`${where}/${name}/kernel`, weights.get(`${name}/kernel`, [fanIn, fanOut]), [fanIn, fanOut])]),
      g.constant(`${where}/${name}/bias`, weights.get(`${name}/bias`, [fanOut]), [fanOut]),
    ]);
  const conv = (v: string, name: string, k: number, cIn: number, cOut: number, size: readonly [number, number], stride: 1 | 2 = 1) =>
    layers.conv(v, `${where}/${name}`, weights.get(`${name}/kernel`, [k, k, cIn, cOut]), weights.get(`${name}/bias`, [cOut]), k, cIn, cOut, size, stride);
  const norm = (v: string, name: string, channels: number) =>
    layers.groupNorm(v, `${where}/${name}`, weights.get(`${name}/scale`, [channels]), weights.get(`${name}/shift`, [channels]), channels, o.groups);

  const omegas = Float32Array.from({ length: frequencies }, (_, k) => o.timeScale * Math.exp((-Math.log(10000) * k) / Math.max(frequencies - 1, 1)));
  const angles = g.node('Mul', [t, g.constant(`${where}/omegas`, omegas, [1, frequencies])]);
  const embedding = g.node('Concat', [g.node('Sin', [angles]), g.node('Cos', [angles])], { axis: { int: 1 } });
  const timeHidden = dense(silu(dense(embedding, 'time/dense0', 2 * frequencies, timeWidth)), 'time/dense1', timeWidth, timeWidth);
  const temb = silu(o.condition ? g.node('Add', [timeHidden, conditionEmbeddingNodes(g, conditionSpecOf(o.condition), timeWidth, weights, where, condition!)]) : timeHidden);

  const res = (v: string, name: string, cIn: number, cOut: number, size: readonly [number, number]): string => {
    let y = conv(silu(norm(v, `${name}/norm1`, cIn)), `${name}/conv1`, 3, cIn, cOut, size);
    y = g.node('Add', [y, g.node('Reshape', [dense(temb, `${name}/time`, timeWidth, cOut), g.int64('time_shape', [-1, cOut, 1, 1])])]);
    y = conv(silu(norm(y, `${name}/norm2`, cOut)), `${name}/conv2`, 3, cOut, cOut, size);
    return g.node('Add', [cIn !== cOut ? conv(v, `${name}/skip`, 1, cIn, cOut, size) : v, y]);
  };

  const image = g.node('Transpose', [g.node('Reshape', [x, g.int64('image_shape', [-1, h, w, c])])], { perm: { ints: [0, 3, 1, 2] } });
  const padded = ph === h && pw === w ? image : g.node('Pad', [image, g.int64('pads', [0, 0, 0, 0, 0, 0, ph - h, pw - w])]);
  let size: [number, number] = [ph, pw];
  let v = conv(padded, 'in', 3, c, widths[0]!, size);
  const kept: { value: string; width: number }[] = [{ value: v, width: widths[0]! }];
  let width = widths[0]!;
  for (let l = 0; l < levels; l++) {
    for (let b = 0; b < o.blocks; b++) {
      v = res(v, `down${l}/res${b}`, width, widths[l]!, size);
      width = widths[l]!;
      kept.push({ value: v, width });
    }
    if (l + 1 < levels) {
      v = conv(v, `down${l}/downsample`, 3, width, width, size, 2);
      size = [Math.ceil(size[0] / 2), Math.ceil(size[1] / 2)];
      kept.push({ value: v, width });
    }
  }
  v = res(v, 'middle', width, width, size);
  for (let l = levels - 1; l >= 0; l--) {
    for (let b = 0; b <= o.blocks; b++) {
      const skip = kept.pop()!;
      v = res(g.node('Concat', [v, skip.value], { axis: { int: 1 } }), `up${l}/res${b}`, width + skip.width, widths[l]!, size);
      width = widths[l]!;
    }
    if (l > 0) {
      size = [2 * size[0], 2 * size[1]];
      v = conv(layers.upsample(v), `up${l}/upsample`, 3, width, width, size);
    }
  }
  let out = conv(silu(norm(v, 'out/norm', width)), 'out/conv', 3, width, c, size);
  if (ph !== h || pw !== w) out = g.node('Slice', [out, g.int64('crop_start', [0, 0]), g.int64('crop_end', [h, w]), g.int64('crop_axes', [2, 3])]);
  weights.done();
  const nhwc = g.node('Transpose', [out], { perm: { ints: [0, 2, 3, 1] } });
  return g.node('Reshape', [nhwc, g.int64('rows_shape', [-1, h * w * c])]);
}
