// core's condition embedding e(c) (condition-embedding.ts) as ONNX nodes: a row of the learned
// table E ∈ R^{K×w} for a class label (Gather, as tf.gather), c W + b for a context vector, and
// the learned null embedding ∅ for every row in the unconditional branch of classifier-free
// guidance (Ho & Salimans 2022), where pfm computes e·0 + (1 − 0)·∅ = ∅.
import type { ConditionSpec, MapRecord } from '@pfm/core';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { NamedWeights } from './named-weights.js';

/** Which condition rows the embedding reads. */
export interface ConditionRowsInput {
  /** The condition rows: int64 labels `[n]` (class) or float32 context `[n, m]`. */
  readonly values: string;
  /** false: every row takes the null embedding ∅ instead of its condition's. */
  readonly keep: boolean;
  /** A value `[n, …]` whose first dimension is the batch (∅ is broadcast to its rows). */
  readonly rows: string;
}

/** Whether a weight of a map record belongs to its condition (the embedding, or a FiLM layer). */
function isConditionWeight(name: string): boolean {
  const bare = name.slice(name.indexOf(':') + 1);
  return bare.startsWith('condition/') || bare.includes('/film/');
}

/**
 * The record's weights split in two: those of the network as an unconditional map has them (in
 * variable order, for a positional reader) and those of its condition (read by name).
 */
export function splitConditionWeights(record: MapRecord): { network: MapRecord; condition: MapRecord } {
  return {
    network: { ...record, weights: record.weights.filter((w) => !isConditionWeight(w.name)) },
    condition: { ...record, weights: record.weights.filter((w) => isConditionWeight(w.name)) },
  };
}

/** Appends e(c) `[n, width]` of the embedding of `spec` with the weights `condition/*` of `weights`. */
export function conditionEmbeddingNodes(g: GraphBuilder, spec: ConditionSpec, width: number, weights: NamedWeights, where: string, input: ConditionRowsInput): string {
  const table = spec.kind === 'class' ? weights.get('condition/embedding', [spec.classes, width]) : undefined;
  const kernel = spec.kind === 'context' ? weights.get('condition/kernel', [spec.dim, width]) : undefined;
  const bias = spec.kind === 'context' ? weights.get('condition/bias', [width]) : undefined;
  const nullEmbedding = weights.get('condition/null', [width]);
  if (!input.keep) {
    const shape = g.node('Concat', [g.node('Shape', [input.rows], { start: { int: 0 }, end: { int: 1 } }), g.int64(`${where}/condition/width`, [width])], { axis: { int: 0 } });
    return g.node('Expand', [g.constant(`${where}/condition/null`, nullEmbedding, [1, width]), shape]);
  }
  if (spec.kind === 'class') return g.node('Gather', [g.constant(`${where}/condition/embedding`, table!, [spec.classes, width]), input.values], { axis: { int: 0 } });
  return g.node('Add', [g.node('MatMul', [input.values, g.constant(`${where}/condition/kernel`, kernel!, [spec.dim, width])]), g.constant(`${where}/condition/bias`, bias!, [width])]);
}
