// The projection discriminator (Miyato & Koyama, "cGANs with projection discriminator", ICLR 2018,
// eq. 3): a critic conditioned on c through an inner product with the features,
//   f(x, c) = ψ(h(x)) + ⟨e(c), h(x)⟩,
// h: R^d → R^H a feature network, ψ(h) = ⟨w, h⟩ + b linear, e(c) a learned class embedding E[c]
// (or a linear map of a context vector). Why projection rather than concatenating c to x: it is the
// form the optimal critic takes when p(c | x) is log-linear in h(x) (their §3), it lets the
// condition act on the last features directly instead of being free to ignore an input column,
// and Miyato & Koyama measured better class fidelity with it than with concatenation (their §5).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { conditionEmbedding, conditionOptionsSchema, type ConditionBatch, type PushforwardMap, type Registry, type Rng } from '@pfm/core';

/** Options of `projection-critic`: the feature network h and the condition. */
export const projectionCriticOptionsSchema = z
  .object({
    /** The feature network h: R^d → R^H as a registry map `{ type, options }` (an `mlp`, or a `conv-encoder` on images). */
    features: z.object({ type: z.string().min(1), options: z.record(z.string(), z.unknown()) }).strict(),
    /** Classes or context dimension of c (`embeddingDim` and `join` do not apply: e(c) has the width H of h(x)). */
    condition: conditionOptionsSchema,
  })
  .strict();

/** Options accepted by `projectionCritic`. */
export type ProjectionCriticOptions = z.input<typeof projectionCriticOptionsSchema>;

let counter = 0;

/**
 * A projection critic `[n, d]` → `[n, 1]`, f(x, c) = ⟨w, h(x)⟩ + b + ⟨e(c), h(x)⟩, with h built
 * from `options.features` through `registry`. w and b follow PyTorch's nn.Linear law, E ~ N(0, 1)
 * as torch.nn.Embedding. Variables: h's, then w, b, then the embedding's.
 * Source: Miyato & Koyama, "cGANs with projection discriminator", ICLR 2018, eq. (3).
 */
export function projectionCritic(options: ProjectionCriticOptions, rng: Rng, registry: Registry | undefined): PushforwardMap {
  const parsed = projectionCriticOptionsSchema.parse(options);
  if (!registry) throw new RangeError(`projection-critic: options.features "${parsed.features.type}" is built through a registry, and none was given`);
  const built = registry.create('map', { id: parsed.features.type, options: parsed.features.options }, { rng: rng.fold(0) }, { id: 'projection-critic.features.type', options: 'projection-critic.features.options' });
  const features = built as PushforwardMap;
  if (typeof features.apply !== 'function' || features.condition !== undefined) {
    built.dispose();
    throw new RangeError(`projection-critic: options.features "${parsed.features.type}" must be an unconditional map R^d → R^H (the condition enters by the projection)`);
  }
  const width = features.outputDim;
  const scope = `projection-critic${counter++}`;
  const limit = 1 / Math.sqrt(width);
  const weight = tf.tidy(() => tf.variable(tf.tensor2d(rng.fold(1).uniformArray(width, -limit, limit), [width, 1]), true, `${scope}/psi/kernel`));
  const bias = tf.tidy(() => tf.variable(tf.tensor1d(rng.fold(2).uniformArray(1, -limit, limit)), true, `${scope}/psi/bias`));
  const embedding = conditionEmbedding({ ...parsed.condition, embeddingDim: width }, scope, rng.fold(3), 'projection-critic');
  const variables = [...features.variables, weight, bias, ...embedding.variables];
  return {
    inputDim: features.inputDim,
    outputDim: 1,
    condition: embedding.spec,
    variables,
    nfe: 1,
    apply(x: tf.Tensor2D, condition?: ConditionBatch): tf.Tensor2D {
      return tf.tidy(() => {
        const h = features.apply(x);
        const projection = tf.sum(tf.mul(embedding.embed(condition, x.shape[0]), h), 1, true);
        return tf.add(tf.add(tf.matMul(h, weight), bias), projection) as tf.Tensor2D;
      });
    },
    toSpec: () => ({ type: 'projection-critic', options: { features: { ...parsed.features }, condition: { ...parsed.condition } } }),
    dispose() {
      features.dispose();
      weight.dispose();
      bias.dispose();
      for (const v of embedding.variables) v.dispose();
    },
  };
}
