// The condition input of conditional maps: a learned class embedding e(c) = E[c] (one row per class,
// N(0, 1) initial rows as torch.nn.Embedding) or a linear map of the context e(c) = c W + b, and a
// learned null embedding ∅ for the rows a ConditionBatch marks as not kept (condition dropout and
// the unconditional branch of classifier-free guidance, Ho & Salimans 2022):
//   e_i = keep_i · e(c_i) + (1 − keep_i) · ∅.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { ConditionBatch, ConditionSpec } from '../contracts/condition.js';
import type { Rng } from '../rng/rng.js';
import { MAX_CONDITION_SIZE } from '../model/condition-spec.js';
import { reserveParameters } from '../model/parameter-budget.js';

/**
 * The `condition` option of the `mlp` and `time-mlp` maps: `classes` K (a label in 0…K − 1) or
 * `contextDim` m (a context vector in R^m), exactly one; `embeddingDim` the width of e(c); `join`
 * how e(c) enters the network: `concat` appends it to the input, `film` scales and shifts every
 * hidden layer, h ↦ (1 + γ(e)) ⊙ h + β(e) with γ, β linear in e and zero at initialisation
 * (FiLM, Perez et al. 2018).
 */
export const conditionOptionsSchema = z
  .object({
    classes: z.number().int().min(2).max(MAX_CONDITION_SIZE).optional(),
    contextDim: z.number().int().min(1).max(MAX_CONDITION_SIZE).optional(),
    embeddingDim: z.number().int().positive().default(32),
    join: z.enum(['concat', 'film']).default('concat'),
  })
  .strict()
  .refine((o) => (o.classes === undefined) !== (o.contextDim === undefined), {
    message: 'give exactly one of "classes" (class labels) and "contextDim" (context vectors)',
  });

export type ConditionOptions = z.input<typeof conditionOptionsSchema>;

/** A learned condition embedding: `embed(batch, n)` → `[n, width]`. */
export interface ConditionEmbedding {
  readonly spec: ConditionSpec;
  readonly width: number;
  readonly variables: readonly tf.Variable[];
  embed(batch: ConditionBatch | undefined, n: number): tf.Tensor2D;
}

/** The ConditionSpec a map's `condition` option describes. */
export function conditionSpecOf(options: z.output<typeof conditionOptionsSchema>): ConditionSpec {
  return options.classes !== undefined ? { kind: 'class', classes: options.classes } : { kind: 'context', dim: options.contextDim! };
}

/** Builds the embedding's variables under `scope` (`{scope}/condition/…`) from `rng`. */
export function conditionEmbedding(options: z.output<typeof conditionOptionsSchema>, scope: string, rng: Rng, where: string): ConditionEmbedding {
  const spec = conditionSpecOf(options);
  const width = options.embeddingDim;
  const variables: tf.Variable[] = [];
  const variable = (values: Float32Array, shape: number[], name: string) => {
    const v = tf.tidy(() => tf.variable(tf.tensor(values, shape), true, `${scope}/condition/${name}`));
    variables.push(v);
    return v;
  };
  let table: tf.Variable | undefined;
  let kernel: tf.Variable | undefined;
  let bias: tf.Variable | undefined;
  if (spec.kind === 'class') {
    reserveParameters((spec.classes + 1) * width, `${where} class embedding [${spec.classes}, ${width}]`);
    table = variable(rng.fold(0).normalArray(spec.classes * width), [spec.classes, width], 'embedding');
  } else {
    reserveParameters((spec.dim + 2) * width, `${where} context embedding [${spec.dim} → ${width}]`);
    const limit = 1 / Math.sqrt(spec.dim);
    kernel = variable(rng.fold(0).uniformArray(spec.dim * width, -limit, limit), [spec.dim, width], 'kernel');
    bias = variable(rng.fold(1).uniformArray(width, -limit, limit), [width], 'bias');
  }
  const nullEmbedding = variable(rng.fold(2).normalArray(width), [width], 'null');
  return {
    spec,
    width,
    variables,
    embed(batch, n) {
      if (batch === undefined) {
        throw new RangeError(`${where}: this map is conditioned on ${spec.kind === 'class' ? `class labels 0…${spec.classes - 1}` : `context vectors of dimension ${spec.dim}`}; pass the condition of the ${n} rows`);
      }
      const { values, keep } = batch;
      if (spec.kind === 'class' ? values.rank !== 1 || values.shape[0] !== n : values.rank !== 2 || values.shape[0] !== n || values.shape[1] !== spec.dim) {
        const want = spec.kind === 'class' ? `[${n}] labels` : `[${n}, ${spec.dim}] context rows`;
        throw new RangeError(`${where}: condition values must be ${want}, got [${values.shape.join(', ')}]`);
      }
      if (keep !== undefined && (keep.rank !== 1 || keep.shape[0] !== n)) {
        throw new RangeError(`${where}: condition keep mask must be [${n}], got [${keep.shape.join(', ')}]`);
      }
      return tf.tidy(() => {
        const e =
          spec.kind === 'class'
            ? tf.gather(table!, values.dtype === 'int32' ? values : tf.cast(values, 'int32'))
            : tf.add(tf.matMul(values as tf.Tensor2D, kernel!), bias!);
        if (keep === undefined) return e as tf.Tensor2D;
        const k = tf.reshape(keep, [n, 1]);
        return tf.add(tf.mul(e, k), tf.mul(tf.sub(1, k), tf.reshape(nullEmbedding, [1, width]))) as tf.Tensor2D;
      });
    },
  };
}
