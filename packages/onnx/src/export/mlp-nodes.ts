// core's mlp as ONNX nodes: h ← σ(h W_i + b_i) per layer (MatMul then Add, the order of
// tf.add(tf.matMul(h, W), b)), the output activation on the last layer.
import { mlpOptionsSchema, type MapRecord } from '@pfm/core';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { activationNodes } from './activation-nodes.js';
import type { MapWeights } from './map-weights.js';
import { parseMapOptions } from './parse-map-options.js';

/** Appends the mlp of `record` applied to `x` `[n, inputDim]`; returns `[n, outputDim]`. */
export function mlpNodes(g: GraphBuilder, x: string, record: MapRecord, weights: MapWeights, where: string): string {
  const options = parseMapOptions(mlpOptionsSchema, record, where);
  const widths = [options.inputDim, ...options.hidden, options.outputDim];
  let h = x;
  for (let i = 0; i + 1 < widths.length; i++) {
    const kernel = g.constant(`${where}/layer${i}/kernel`, weights.next([widths[i]!, widths[i + 1]!]), [widths[i]!, widths[i + 1]!]);
    const bias = g.constant(`${where}/layer${i}/bias`, weights.next([widths[i + 1]!]), [widths[i + 1]!]);
    h = g.node('Add', [g.node('MatMul', [h, kernel]), bias]);
    h = activationNodes(g, h, i + 2 < widths.length ? options.activation : options.outputActivation, `${where}.options`);
  }
  return h;
}
