// core's time-mlp v(t, x) as ONNX nodes: the network sees [x, e(t)] with e(t) = t or the
// sinusoidal embedding [sin(ω_k t), cos(ω_k t)]_k, ω_k = 2π·maxFrequency^(k/(K−1)) (Vaswani et al. 2017).
// A conditional field v(t, x | c) passes its condition to the mlp ([x, e(t), e(c)] or FiLM).
import { timeMlpOptionsSchema, type MapRecord } from '@pfm/core';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { MapWeights } from './map-weights.js';
import { mlpNodes, type MlpCondition } from './mlp-nodes.js';
import { parseMapOptions } from './parse-map-options.js';

/**
 * Appends v(t, x) for `x` `[n, dim]` and the time column `t` `[n, 1]`; returns `[n, dim]`. A
 * conditional record (option `condition`) needs `condition`: v(t, x | c).
 */
export function timeMlpNodes(g: GraphBuilder, t: string, x: string, record: MapRecord, weights: MapWeights, where: string, condition?: MlpCondition): string {
  const options = parseMapOptions(timeMlpOptionsSchema, record, where);
  let embedded = t;
  let width = 1;
  if (options.timeEmbedding === 'sinusoidal') {
    const k = options.embeddingFrequencies;
    const omegas = Float32Array.from({ length: k }, (_, i) => 2 * Math.PI * Math.pow(options.maxFrequency, k === 1 ? 0 : i / (k - 1)));
    const angles = g.node('Mul', [t, g.constant(`${where}/omegas`, omegas, [1, k])]);
    embedded = g.node('Concat', [g.node('Sin', [angles]), g.node('Cos', [angles])], { axis: { int: 1 } });
    width = 2 * k;
  }
  const input = g.node('Concat', [x, embedded], { axis: { int: 1 } });
  const network: MapRecord = {
    type: 'mlp',
    options: {
      inputDim: options.dim + width,
      outputDim: options.dim,
      hidden: options.hidden,
      activation: options.activation,
      init: options.init,
      finalScale: options.finalScale,
      ...(options.condition ? { condition: options.condition } : {}),
    },
    weights: record.weights,
  };
  return mlpNodes(g, input, network, weights, where, condition);
}
