// A time-conditioned MLP v(t, x) for velocity and score fields: the network sees [x, e(t)] with
// e(t) = t (concatenation) or the sinusoidal embedding e(t) = [sin(ω_k t), cos(ω_k t)]_k,
// ω_k = 2π·f_k with frequencies f_k spaced geometrically from 1 to maxFrequency (Vaswani et al. 2017).
// With `condition`, v(t, x | c): the condition embedding e(c) composes with e(t) in the MLP, appended
// beside it ([x, e(t), e(c)], `join: 'concat'`) or modulating every hidden layer (`join: 'film'`).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { VectorField } from '../contracts/map.js';
import type { ConditionBatch } from '../contracts/condition.js';
import type { Rng } from '../rng/rng.js';
import { ACTIVATIONS } from './activations.js';
import { INITIALISATIONS, mlp, type Mlp } from './mlp.js';
import { conditionOptionsSchema } from './condition-embedding.js';

export const timeMlpOptionsSchema = z
  .object({
    dim: z.number().int().positive(),
    hidden: z.array(z.number().int().positive()).default([64, 64, 64]),
    activation: z.enum(ACTIVATIONS).default('silu'),
    init: z.enum(INITIALISATIONS).default('fan-in-uniform'),
    timeEmbedding: z.enum(['concat', 'sinusoidal']).default('concat'),
    /** Number of sinusoidal frequencies (the embedding has 2× this many features). */
    embeddingFrequencies: z.number().int().positive().default(8),
    maxFrequency: z.number().positive().default(64),
    finalScale: z.number().min(0).default(1),
    /** Makes the field conditional, v(t, x | c) (see the `mlp` option of the same name). Absent: unconditional. */
    condition: conditionOptionsSchema.optional(),
  })
  .strict();

export type TimeMlpOptions = z.input<typeof timeMlpOptionsSchema>;

export interface TimeMlp extends VectorField {
  readonly options: z.output<typeof timeMlpOptionsSchema>;
  readonly network: Mlp;
}

export function timeMlp(options: TimeMlpOptions, rng: Rng): TimeMlp {
  const parsed = timeMlpOptionsSchema.parse(options);
  const k = parsed.embeddingFrequencies;
  const embedWidth = parsed.timeEmbedding === 'concat' ? 1 : 2 * k;
  const network = mlp(
    {
      inputDim: parsed.dim + embedWidth,
      outputDim: parsed.dim,
      hidden: parsed.hidden,
      activation: parsed.activation,
      init: parsed.init,
      finalScale: parsed.finalScale,
      ...(parsed.condition ? { condition: parsed.condition } : {}),
    },
    rng,
  );
  const omegas = Float32Array.from({ length: k }, (_, i) =>
    2 * Math.PI * Math.pow(parsed.maxFrequency, k === 1 ? 0 : i / (k - 1)),
  );
  const embed = (t: tf.Tensor, n: number): tf.Tensor2D => {
    const col = (t.rank === 0 ? tf.mul(tf.ones([n, 1]), t) : t.reshape([n, 1])) as tf.Tensor2D;
    if (parsed.timeEmbedding === 'concat') return col;
    const angles = tf.mul(col, tf.tensor2d(omegas, [1, k]));
    return tf.concat([tf.sin(angles), tf.cos(angles)], 1) as tf.Tensor2D;
  };
  return {
    dim: parsed.dim,
    options: parsed,
    network,
    ...(network.condition ? { condition: network.condition } : {}),
    variables: network.variables,
    evaluate(t: tf.Tensor | number, x: tf.Tensor2D, condition?: ConditionBatch): tf.Tensor2D {
      return tf.tidy(() => {
        const n = x.shape[0];
        const tt = typeof t === 'number' ? tf.scalar(t) : t;
        if (tt.rank !== 0 && tt.size !== n) {
          throw new RangeError(`time-mlp: t has ${tt.size} entries for ${n} rows`);
        }
        if (!network.condition && condition !== undefined) {
          throw new RangeError('time-mlp: this field is unconditional; it takes no condition (build it with the "condition" option)');
        }
        return network.apply(tf.concat([x, embed(tt, n)], 1) as tf.Tensor2D, condition);
      });
    },
    toSpec() {
      return { type: 'time-mlp', options: { ...parsed } };
    },
    dispose() {
      network.dispose();
    },
  };
}
