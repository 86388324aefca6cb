// The max formulation with a learned critic (Cabannes, arXiv:2311.13845, section 2), as two players
// of one objective, each with its own optimizer settings and critic updates per generator update.
//   gan     (Goodfellow et al. 2014): critic D = σ(f) ∈ [0, 1];
//           critic loss  −E log D(x) − E log(1 − D(φ(z))),
//           generator loss (non-saturating)  −E log D(φ(z)).
//   wgan-gp (Gulrajani et al. 2017): critic f, 1-Lipschitz by the penalty λ E(‖∇f(x̂)‖ − 1)²
//           at x̂ = εx + (1 − ε)φ(z), ε ~ U[0, 1] (one-sided: λ E max(0, ‖∇f(x̂)‖ − 1)²,
//           Petzka et al. 2018, which 1-D data needs: see `penaltySide`);
//           critic loss  E f(φ(z)) − E f(x) + penalty,   generator loss  −E f(φ(z)).
// On data with a condition c (class labels or context vectors) both players are conditional: the
// generator φ(z | c) takes the condition embedding (as the statistics-matching generators do), the
// critic is the projection discriminator f(x, c) = ψ(h(x)) + ⟨e(c), h(x)⟩ (Miyato & Koyama 2018;
// projection-critic says why rather than concatenation). Each step the fake batch gets the real
// batch's conditions, φ(z_i | c_i), so fake and data rows i share a class and the gradient penalty's
// interpolate x̂_i = ε x_i + (1 − ε) φ(z_i | c_i) is a point of class c_i, where ∇_x f(x̂_i, c_i) is taken.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import {
  OptionsError,
  createNetwork,
  defineObjective,
  generatorModel,
  generatorOptionsShape,
  networkSpec,
  sampleNoise,
  withLatentDim,
  type ConditionBatch,
  type ConditionSpec,
  type Model,
  type NetworkConfig,
  type ObjectiveContext,
  type PushforwardMap,
} from '@pfm/core';
import { IMAGE_GENERATOR_DEFAULTS, onImages } from '@pfm/core';

const criticShape = {
  ...generatorOptionsShape,
  /** Critic updates per generator update. */
  criticSteps: z.number().int().positive(),
  /**
   * Critic MLP widths (the generator's come from the recipe's `model`); on images, the dense layers
   * after the conv-encoder's convolutions. On conditional data the last width is that of the
   * projection critic's features h(x).
   */
  criticHidden: z.array(z.number().int().positive()).default([64, 64, 64]),
  /** Critic activation; wgan-gp needs one whose gradient is differentiable (silu, tanh, gelu, softplus). */
  criticActivation: z.enum(['silu', 'tanh', 'gelu', 'softplus', 'relu']).default('silu'),
  /** Critic learning rate (default: the recipe's). */
  criticLr: z.number().positive().optional(),
  criticBeta1: z.number().min(0).max(1).optional(),
  criticBeta2: z.number().min(0).max(1).optional(),
};

export const ganSchema = z.object({ ...criticShape, criticSteps: criticShape.criticSteps.default(1) }).strict();
export const wganGpSchema = z
  .object({
    ...criticShape,
    criticSteps: criticShape.criticSteps.default(5),
    criticBeta1: criticShape.criticBeta1.default(0),
    criticBeta2: criticShape.criticBeta2.default(0.9),
    /** Gradient-penalty weight λ. */
    penalty: z.number().min(0).default(10),
    /**
     * `'two-sided'` (Gulrajani et al. 2017): λ E(‖∇f‖ − 1)²; `'one-sided'` (Petzka et al. 2018):
     * λ E max(0, ‖∇f‖ − 1)². In one dimension the two-sided penalty splits the critics into
     * slope +1 and slope −1 with a barrier of height λ between them, so the sign of the initial
     * critic's slope decides which one is reached and the generator may be pushed away from the
     * data; the one-sided penalty does not penalise small slopes and has no such barrier.
     */
    penaltySide: z.enum(['two-sided', 'one-sided']).default('two-sided'),
  })
  .strict();

type GanOptions = z.output<typeof ganSchema>;
type WganOptions = z.output<typeof wganGpSchema>;
type Kind = 'gan' | 'wgan-gp';

/**
 * The critic's loss on `real` and `fake` (`[n, d]` each). With `condition` (the rows' condition,
 * shared by real row i and fake row i) the critic is f(x, c) and the penalty's interpolates keep
 * their row's condition.
 */
function criticLoss(
  kind: Kind,
  options: GanOptions | WganOptions,
  critic: PushforwardMap,
  real: tf.Tensor2D,
  fake: tf.Tensor2D,
  rng: { uniform(shape: number[]): tf.Tensor },
  condition?: ConditionBatch,
): tf.Scalar {
  if (kind === 'gan') {
    // −log σ(l) = softplus(−l), −log(1 − σ(l)) = softplus(l).
    return tf.add(tf.mean(tf.softplus(tf.neg(critic.apply(real, condition)))), tf.mean(tf.softplus(critic.apply(fake, condition)))) as tf.Scalar;
  }
  // The penalty's inner tf.grad comes first: in tfjs 4.22 a nested gradient call drops what the
  // outer tape recorded before it, so f(real) and f(fake) are evaluated after it.
  const n = Math.min(real.shape[0], fake.shape[0]);
  const r = tf.slice(real, [0, 0], [n, -1]);
  const f = tf.slice(fake, [0, 0], [n, -1]);
  const eps = rng.uniform([n, 1]);
  const mixed = tf.add(tf.mul(eps, r), tf.mul(tf.sub(1, eps), f)) as tf.Tensor2D;
  const mixedCondition = condition && { values: tf.slice(condition.values, 0, n) };
  const gradient = tf.grad((x: tf.Tensor) => tf.sum(critic.apply(x as tf.Tensor2D, mixedCondition)))(mixed);
  const norms = tf.sqrt(tf.add(tf.sum(tf.square(gradient), 1), 1e-12));
  const excess = (options as WganOptions).penaltySide === 'one-sided' ? tf.relu(tf.sub(norms, 1)) : tf.sub(norms, 1);
  const penalty = tf.mul(tf.mean(tf.square(excess)), (options as WganOptions).penalty);
  const fReal = critic.apply(real, condition);
  const fFake = critic.apply(fake, condition);
  return tf.add(tf.sub(tf.mean(fFake), tf.mean(fReal)), penalty) as tf.Scalar;
}

/** The `condition` option of a conditional network: the data's classes or context dimension over the recipe's `model.condition`. */
function conditionOption(network: NetworkConfig, spec: ConditionSpec): Record<string, unknown> {
  const given = typeof network.condition === 'object' && network.condition !== null ? (network.condition as Record<string, unknown>) : {};
  const { classes: _classes, contextDim: _contextDim, ...chosen } = given;
  return { ...chosen, ...(spec.kind === 'class' ? { classes: spec.classes } : { contextDim: spec.dim }) };
}

/**
 * The projection critic of a conditional run: features h = the unconditional critic without its
 * last linear layer (an MLP of `criticHidden` minus its last width, or on images a conv-encoder with
 * those dense layers), of width the last entry of `criticHidden`.
 */
function createProjectionCritic(kind: Kind, options: GanOptions | WganOptions, ctx: ObjectiveContext, spec: ConditionSpec): PushforwardMap {
  const width = options.criticHidden.at(-1);
  if (width === undefined) {
    throw new OptionsError(`${kind}: options.criticHidden is []; a conditional critic needs at least one width (that of its features h(x), the projection's space)`);
  }
  const features = networkSpec(
    { hidden: options.criticHidden.slice(0, -1), activation: options.criticActivation, outputActivation: options.criticActivation },
    'critic',
    { inputDim: ctx.dim, outputDim: width },
    ctx.eventShape,
  );
  const condition = spec.kind === 'class' ? { classes: spec.classes } : { contextDim: spec.dim };
  return ctx.registry.create('map', { id: 'projection-critic', options: { features, condition } }, { rng: ctx.rng.fold(2) }, { id: 'critic', options: 'options.criticHidden' }) as PushforwardMap;
}

function adversarialObjective(kind: Kind, schema: typeof ganSchema | typeof wganGpSchema) {
  return defineObjective({
    id: kind,
    description:
      kind === 'gan'
        ? 'GAN: critic in [0, 1] with the non-saturating generator loss (Goodfellow et al. 2014)'
        : 'WGAN-GP: 1-Lipschitz critic by gradient penalty (Gulrajani et al. 2017)',
    schema: schema as z.ZodType<GanOptions | WganOptions>,
    // On images: batches of 64 only. Measured with the PyTorch twin on MNIST (600 steps, FLD on the
    // test digits): Adam 1e-3 59.9, with an EMA 64.2, DCGAN's Adam(2e-4, β₁ = 0.5) 69.1, with an EMA 82.7.
    recipeDefaults: onImages(IMAGE_GENERATOR_DEFAULTS),
    create(options, ctx) {
      const opts = withLatentDim(options, ctx.dim, ctx.eventShape);
      const image = { registry: ctx.registry, eventShape: ctx.eventShape };
      const spec = ctx.condition;
      const generator = createNetwork(
        spec ? { ...ctx.network, condition: conditionOption(ctx.network, spec) } : ctx.network,
        { inputDim: opts.latentDim, outputDim: ctx.dim },
        ctx.rng.fold(1),
        { hidden: [64, 64, 64], activation: 'silu' },
        { ...image, role: 'generator' },
      );
      let critic: PushforwardMap;
      try {
        // On images the critic is a conv-encoder; criticHidden are then its dense layers after the convolutions.
        critic = spec
          ? createProjectionCritic(kind, opts, ctx, spec)
          : createNetwork({ hidden: opts.criticHidden, activation: opts.criticActivation }, { inputDim: ctx.dim, outputDim: 1 }, ctx.rng.fold(2), {}, { ...image, role: 'critic' });
      } catch (error) {
        generator.dispose();
        throw error;
      }
      const model = generatorModel({ method: kind, options: opts, generator, extraMaps: { critic } });
      // The batch's condition rows, given to both players when the data have a condition.
      const conditionOf = (rows: tf.Tensor | undefined): ConditionBatch | undefined => (spec && rows ? { values: rows } : undefined);
      const fakeBatch = (n: number, rng: Parameters<typeof sampleNoise>[3], condition?: ConditionBatch) =>
        generator.apply(sampleNoise(opts.noise, n, opts.latentDim, rng), condition);
      return {
        players: [
          {
            name: 'generator',
            variables: generator.variables,
            loss: ({ batch, condition: rows, rng }) =>
              tf.tidy(() => {
                const condition = conditionOf(rows);
                const f = critic.apply(fakeBatch(batch.shape[0], rng, condition), condition);
                return (kind === 'gan' ? tf.mean(tf.softplus(tf.neg(f))) : tf.neg(tf.mean(f))) as tf.Scalar;
              }),
          },
          {
            name: 'critic',
            variables: critic.variables,
            updatesPerStep: opts.criticSteps,
            optimizer: {
              ...(opts.criticLr !== undefined ? { lr: opts.criticLr } : {}),
              ...(opts.criticBeta1 !== undefined ? { beta1: opts.criticBeta1 } : {}),
              ...(opts.criticBeta2 !== undefined ? { beta2: opts.criticBeta2 } : {}),
            },
            loss: ({ batch, condition: rows, rng }) =>
              tf.tidy(() => {
                const condition = conditionOf(rows);
                return criticLoss(kind, opts, critic, batch, fakeBatch(batch.shape[0], rng.fold(0), condition), rng.fold(1), condition);
              }),
          },
        ],
        model,
      };
    },
    load(parts): Model {
      const { generator, critic } = parts.maps as Record<string, PushforwardMap | undefined>;
      if (!generator || !critic) throw new OptionsError(`${kind} model: the file needs "generator" and "critic" maps`);
      if ((generator.condition === undefined) !== (critic.condition === undefined)) {
        throw new OptionsError(`${kind} model: the generator is ${generator.condition ? '' : 'un'}conditional and the critic is ${critic.condition ? '' : 'un'}conditional; they must agree`);
      }
      return generatorModel({ method: kind, options: withLatentDim(parts.options, parts.dim), generator, extraMaps: { critic } });
    },
  });
}

/** Registry entry `gan`. */
export const ganObjective = adversarialObjective('gan', ganSchema);
/** Registry entry `wgan-gp`. */
export const wganGpObjective = adversarialObjective('wgan-gp', wganGpSchema);
