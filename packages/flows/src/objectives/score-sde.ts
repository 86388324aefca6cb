// [score-sde] Denoising score matching on the VP diffusion (Song et al. 2021, eq. 7): in diffusion
// time s ~ U[ε, 1] (flow time t = 1 − s), x_t = α(s) x1 + σ(s) x0 with data x1 and noise x0.
//   v-prediction (default; Salimans & Ho 2022, section 4 and appendix D; λ(s) = σ²/α²):
//     L = E ‖v_θ(t, x_t) − (α x0 − σ x1)‖²,   ε̂ = α v_θ + σ x,   ∇log p_t(x) ≈ −ε̂ / σ = −x − (α/σ) v_θ;
//   noise prediction (Ho et al. 2020, eq. 14; λ(s) = σ²):  L = E ‖ε_θ(t, x_t) − x0‖²,  ∇log p_t ≈ −ε_θ / σ.
// Sampled by the probability-flow ODE or the reverse SDE from t = 0 to t = 1 − ε (vp-dynamics.ts).
// Why v by default: the probability-flow drift ½β(x + ∇log p) is −½β (α/σ) v_θ, so an error δ of the
// network moves the ODE by ½β(α/σ)δ; with ε_θ it moves it by ½β δ/σ — up to 1/α ≈ 150 times more at
// high noise, where the ODE (unlike the reverse SDE) does not contract errors: a briefly trained ε_θ
// gives a probability-flow ODE that gets worse as the Euler grid is refined (score-sde.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineObjective, type Registry, type VectorField, IMAGE_FIELD_DEFAULTS, onImages } from '@pfm/core';
import { flowModel } from '../models/flow-model.js';
import { checkSampler } from '../models/check-sampler.js';
import { checkSdeIntegrator } from '../models/check-sde-integrator.js';
import { samplerSchema } from '../models/sampler-schema.js';
import type { TransportModel } from '../models/transport-model.js';
import { vpDynamics } from '../paths/vp-dynamics.js';
import { scheduleFromOptions, vpScheduleOptionsShape } from '../paths/vp-schedule-options.js';
import { buildVelocityField } from './build-velocity-field.js';
import { mapRole } from './map-role.js';

/** Options of `score-sde` (VP schedule, ε, the ODE sampler and the SDE integrator). */
export const scoreSdeSchema = z
  .object({
    ...vpScheduleOptionsShape,
    /**
     * What the network predicts: `v` = α x0 − σ x1 (default; well conditioned for the probability-flow
     * ODE) or `noise` = x0 (the DDPM parameterisation).
     */
    prediction: z.enum(['v', 'noise']).default('v'),
    /** ε: training uses s ∈ [ε, 1]; sampling stops at diffusion time ε (flow time 1 − ε). */
    endTime: z.number().positive().lt(0.5).default(1e-3),
    /** Deterministic sampler (probability-flow ODE). */
    sampler: samplerSchema.default(samplerSchema.parse({})),
    /** Integrator of the reverse SDE (`sample(n, rng, { stochastic: true })`); checked to be an SDE integrator when the objective is created. */
    sdeIntegrator: z.string().min(1).default('euler-maruyama'),
  })
  .strict();

/** Parsed options of `score-sde`. */
export type ScoreSdeOptions = z.output<typeof scoreSdeSchema>;

/**
 * The model of a v-prediction network v_θ(t, x) or a noise-prediction network ε_θ(t, x)
 * (`options.prediction`; map role `score`): probability-flow ODE by default, reverse SDE with
 * `stochastic: true`. States `[n, d]`.
 */
export function scoreSdeModel(options: ScoreSdeOptions, network: VectorField, registry: Registry): TransportModel {
  const schedule = scheduleFromOptions(options, 'score-sde');
  const prediction = options.prediction;
  const score = (t: number, x: tf.Tensor2D) =>
    tf.tidy(() => {
      const s = 1 - t;
      const out = network.evaluate(t, x);
      if (prediction === 'noise') return tf.div(out, -schedule.sigma(s)) as tf.Tensor2D;
      return tf.sub(tf.neg(x), tf.mul(out, schedule.alpha(s) / schedule.sigma(s))) as tf.Tensor2D;
    });
  const dynamics = vpDynamics(schedule, score);
  return flowModel({
    method: 'score-sde',
    options,
    dim: network.dim,
    registry,
    maps: { score: network },
    drift: dynamics.probabilityFlow.drift,
    sampler: options.sampler,
    t0: 0,
    t1: 1 - options.endTime,
    stochastic: { problem: dynamics.reverseSde, integrator: options.sdeIntegrator },
  });
}

/** Registry entry `score-sde`. */
export const scoreSde = defineObjective({
  id: 'score-sde',
  description: 'Denoising score matching on the variance-preserving diffusion; sampled by the probability-flow ODE or the reverse SDE',
  schema: scoreSdeSchema,
  recipeDefaults: onImages(IMAGE_FIELD_DEFAULTS),
  create(options, ctx) {
    checkSampler(ctx.registry, options.sampler, 'score-sde: options.sampler');
    checkSdeIntegrator(ctx.registry, options.sdeIntegrator, 'score-sde: options.sdeIntegrator');
    const schedule = scheduleFromOptions(options, 'score-sde');
    const network = buildVelocityField(ctx.registry, ctx.dim, ctx.network, ctx.rng.fold(0), ctx.eventShape);
    return {
      players: [
        {
          name: 'score',
          variables: network.variables,
          loss: ({ batch, rng }) =>
            tf.tidy(() => {
              const [n, d] = batch.shape;
              const s = rng.fold(1).uniformArray(n, options.endTime, 1);
              const alpha = tf.tensor2d(s.map((u) => schedule.alpha(u)), [n, 1]);
              const sigma = tf.tensor2d(s.map((u) => schedule.sigma(u)), [n, 1]);
              const noise = rng.fold(0).normal([n, d]);
              const xt = tf.add(tf.mul(alpha, batch), tf.mul(sigma, noise)) as tf.Tensor2D;
              const t = tf.tensor1d(s.map((u) => 1 - u));
              const target = options.prediction === 'noise' ? noise : tf.sub(tf.mul(alpha, noise), tf.mul(sigma, batch));
              return tf.mean(tf.square(tf.sub(network.evaluate(t, xt), target))) as tf.Scalar;
            }),
        },
      ],
      model: scoreSdeModel(options, network, ctx.registry),
    };
  },
  load(parts) {
    return scoreSdeModel(parts.options, mapRole('score-sde', parts, 'score', 'field'), parts.registry);
  },
});
