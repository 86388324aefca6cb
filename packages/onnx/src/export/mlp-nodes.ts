// core's mlp as ONNX nodes: h ← σ(h W_i + b_i) per layer (MatMul then Add, the order of
// tf.add(tf.matMul(h, W), b)), the output activation on the last layer. A conditional mlp φ(z | c)
// sees [z, e(c)] (join 'concat') or modulates each hidden layer before its activation,
// h ← h (1 + γ) + β with [γ, β] = e(c) W_film + b_film (join 'film'; Perez et al., AAAI 2018).
import { conditionSpecOf, mlpOptionsSchema, type MapRecord } from '@pfm/core';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { activationNodes } from './activation-nodes.js';
import { conditionEmbeddingNodes, type ConditionRowsInput } from './condition-embedding-nodes.js';
import type { MapWeights } from './map-weights.js';
import { OnnxError } from './onnx-error.js';
import type { NamedWeights } from './named-weights.js';
import { parseMapOptions } from './parse-map-options.js';

/** The condition of a conditional mlp: its rows and the record's condition weights (by name). */
export interface MlpCondition {
  readonly input: ConditionRowsInput;
  readonly weights: NamedWeights;
}

/**
 * Appends the mlp of `record` applied to `x` `[n, inputDim]`; returns `[n, outputDim]`. `weights`
 * reads the layers' weights in order; a conditional record (option `condition`) needs `condition`.
 */
export function mlpNodes(g: GraphBuilder, x: string, record: MapRecord, weights: MapWeights, where: string, condition?: MlpCondition): string {
  const options = parseMapOptions(mlpOptionsSchema, record, where);
  const conditioning = options.condition;
  if ((conditioning === undefined) !== (condition === undefined)) {
    throw new OnnxError(`${where}.options.condition: the export ${condition ? 'gives a condition to an unconditional' : 'gives no condition to a conditional'} mlp`);
  }
  const join = conditioning?.join;
  const embeddingDim = conditioning?.embeddingDim ?? 0;
  const widths = [options.inputDim + (join === 'concat' ? embeddingDim : 0), ...options.hidden, options.outputDim];
  const embedding = conditioning ? conditionEmbeddingNodes(g, conditionSpecOf(conditioning), embeddingDim, condition!.weights, where, condition!.input) : undefined;
  let h = embedding !== undefined && join === 'concat' ? g.node('Concat', [x, embedding], { axis: { int: 1 } }) : x;
  for (let i = 0; i + 1 < widths.length; i++) {
    const width = widths[i + 1]!;
    const kernel = g.constant(`${where}/layer${i}/kernel`, weights.next([widths[i]!, width]), [widths[i]!, width]);
    const bias = g.constant(`${where}/layer${i}/bias`, weights.next([width]), [width]);
    h = g.node('Add', [g.node('MatMul', [h, kernel]), bias]);
    if (embedding !== undefined && join === 'film' && i + 2 < widths.length) {
      const filmKernel = g.constant(`${where}/layer${i}/film/kernel`, condition!.weights.get(`layer${i}/film/kernel`, [embeddingDim, 2 * width]), [embeddingDim, 2 * width]);
      const filmBias = g.constant(`${where}/layer${i}/film/bias`, condition!.weights.get(`layer${i}/film/bias`, [2 * width]), [2 * width]);
      const gammaBeta = g.node('Add', [g.node('MatMul', [embedding, filmKernel]), filmBias]);
      const axes = g.int64(`${where}/film_axes`, [1]);
      const gamma = g.node('Slice', [gammaBeta, g.int64(`${where}/film_start`, [0]), g.int64(`${where}/film_mid`, [width]), axes]);
      const beta = g.node('Slice', [gammaBeta, g.int64(`${where}/film_mid`, [width]), g.int64(`${where}/film_end`, [2 * width]), axes]);
      h = g.node('Add', [g.node('Mul', [h, g.node('Add', [gamma, g.constant(`${where}/one`, [1], [])])]), beta]);
    }
    h = activationNodes(g, h, i + 2 < widths.length ? options.activation : options.outputActivation, `${where}.options`);
  }
  return h;
}
