// core's conv-generator (DCGAN-style decoder; Radford, Metz & Chintala, ICLR 2016) as ONNX nodes:
// z ↦ dense → [h₀, w₀, c₀] grid → U × (×2 upsampling + 3×3 conv, or a 4×4 transposed conv; norm; σ)
// → 3×3 conv → crop → σ_out. The grid is transposed to NCHW once after the dense projection and
// back before the flattening, so the output rows are `[n, h·w·c]` in NHWC order as in pfm. A
// conditional generator φ(z | c) projects [z, e(c)] (Mirza & Osindero 2014), as pfm's does.
import { conditionSpecOf, convGeneratorOptionsSchema, type MapRecord } from '@pfm/core';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { activationNodes } from './activation-nodes.js';
import { conditionEmbeddingNodes } from './condition-embedding-nodes.js';
import { imageLayerNodes } from './image-layer-nodes.js';
import type { MapWeights } from './map-weights.js';
import type { MlpCondition } from './mlp-nodes.js';
import { OnnxError } from './onnx-error.js';
import { parseMapOptions } from './parse-map-options.js';

/**
 * Appends the conv-generator of `record` to `z` `[n, inputDim]`; returns `[n, h·w·c]`. `opset`
 * picks ReduceMean's form; a conditional record (option `condition`) needs `condition`.
 */
export function convGeneratorNodes(g: GraphBuilder, z: string, record: MapRecord, weights: MapWeights, where: string, opset: number, condition?: MlpCondition): string {
  const o = parseMapOptions(convGeneratorOptionsSchema, record, where);
  if ((o.condition === undefined) !== (condition === undefined)) {
    throw new OnnxError(`${where}.options.condition: the export ${condition ? 'gives a condition to an unconditional' : 'gives no condition to a conditional'} conv-generator`);
  }
  const embeddingDim = o.condition?.embeddingDim ?? 0;
  const input = o.condition
    ? g.node('Concat', [z, conditionEmbeddingNodes(g, conditionSpecOf(o.condition), embeddingDim, condition!.weights, where, condition!.input)], { axis: { int: 1 } })
    : z;
  const layers = imageLayerNodes(g, opset);
  const [h, w, c] = o.outputShape;
  const ups = o.channels.length - 1;
  const h0 = Math.ceil(h / 2 ** ups);
  const w0 = Math.ceil(w / 2 ** ups);
  const c0 = o.channels[0]!;

  const hidden = (x: string, channels: number, i: number): string => {
    const y = o.norm === 'group' ? layers.groupNorm(x, `${where}/norm${i}`, weights.next([channels]), weights.next([channels]), channels, o.groups) : x;
    return activationNodes(g, y, o.activation, `${where}.options`);
  };

  const fanIn = o.inputDim + embeddingDim;
  const projectKernel = g.constant(`${where}/project/kernel`, weights.next([fanIn, h0 * w0 * c0]), [fanIn, h0 * w0 * c0]);
  const projectBias = g.constant(`${where}/project/bias`, weights.next([h0 * w0 * c0]), [h0 * w0 * c0]);
  const projected = g.node('Add', [g.node('MatMul', [input, projectKernel]), projectBias]);
  const grid = g.node('Transpose', [g.node('Reshape', [projected, g.int64('grid_shape', [-1, h0, w0, c0])])], { perm: { ints: [0, 3, 1, 2] } });
  let x = hidden(grid, c0, 0);
  let size: [number, number] = [h0, w0];
  for (let i = 1; i <= ups; i++) {
    const cIn = o.channels[i - 1]!;
    const cOut = o.channels[i]!;
    size = [2 * size[0], 2 * size[1]];
    const up =
      o.upsample === 'transposed'
        ? layers.convTranspose(x, `${where}/up${i}`, weights.next([4, 4, cOut, cIn]), weights.next([cOut]), cIn, cOut)
        : layers.conv(layers.upsample(x), `${where}/up${i}`, weights.next([3, 3, cIn, cOut]), weights.next([cOut]), 3, cIn, cOut, size);
    x = hidden(up, cOut, i);
  }
  let image = layers.conv(x, `${where}/out`, weights.next([3, 3, o.channels[ups]!, c]), weights.next([c]), 3, o.channels[ups]!, c, size);
  if (size[0] !== h || size[1] !== w) {
    image = g.node('Slice', [image, g.int64('crop_start', [0, 0]), g.int64('crop_end', [h, w]), g.int64('crop_axes', [2, 3])]);
  }
  image = activationNodes(g, image, o.outputActivation, `${where}.options`);
  const nhwc = g.node('Transpose', [image], { perm: { ints: [0, 2, 3, 1] } });
  return g.node('Reshape', [nhwc, g.int64('rows_shape', [-1, h * w * c])]);
}
