// [stochastic-interpolant] Velocity regression on a stochastic interpolant (Albergo &
// Vanden-Eijnden 2023, eq. 2.1 and Theorem 2.6): x_t = α(t) x0 + β(t) x1 + γ(t) z and
//   L(θ) = E ‖b_θ(t, x_t) − (α̇ x0 + β̇ x1 + γ̇ z)‖²,
// whose minimiser b_t(x) = E[α̇ x0 + β̇ x1 + γ̇ z | x_t = x] transports N(0, I) to the data by the ODE ẋ = b_t(x).
// On data with a condition c, b_θ(t, x | c) (see velocity-matching-loss and `conditionDropout`).
import { z } from 'zod';
import { defineObjective, IMAGE_FIELD_DEFAULTS, onImages } from '@pfm/core';
import { couplingOptionSchema, sinkhornCouplingSchema } from '../couplings/coupling-schema.js';
import { createCoupling } from '../couplings/create-coupling.js';
import { checkSampler } from '../models/check-sampler.js';
import { samplerSchema } from '../models/sampler-schema.js';
import { createPath } from '../paths/create-path.js';
import { stochasticPathSchema } from '../paths/path-entries.js';
import { pathOptionSchema } from '../paths/path-option-schema.js';
import { stochasticInterpolant } from '../paths/stochastic-interpolant.js';
import { buildVelocityField } from './build-velocity-field.js';
import { conditionDropoutSchema } from './condition-dropout.js';
import { mapRole } from './map-role.js';
import { velocityFlow } from './velocity-flow.js';
import { velocityMatchingLoss } from './velocity-matching-loss.js';

/** Options of `stochastic-interpolant` (α, β, γ, the coupling and the sampler). */
export const stochasticInterpolantSchema = z
  .object({
    /** α, β, γ and the endpoint gap: the options of the `stochastic` path. */
    ...stochasticPathSchema.shape,
    /** Another path by registry id or `{ id, options }` (e.g. a plugin's); when set, the four fields above are not used. */
    path: pathOptionSchema.optional(),
    coupling: couplingOptionSchema.default('independent'),
    sinkhorn: sinkhornCouplingSchema.default(sinkhornCouplingSchema.parse({})),
    sampler: samplerSchema.default(samplerSchema.parse({})),
    /** Probability that a training row's condition is dropped (classifier-free guidance); only with conditional data. */
    conditionDropout: conditionDropoutSchema,
  })
  .strict();

/** Parsed options of `stochastic-interpolant`. */
export type StochasticInterpolantObjectiveOptions = z.output<typeof stochasticInterpolantSchema>;

/** Registry entry `stochastic-interpolant`. */
export const stochasticInterpolantObjective = defineObjective({
  id: 'stochastic-interpolant',
  description: 'Stochastic interpolant x_t = α x0 + β x1 + γ z: velocity regression, sampled by an ODE integrator',
  schema: stochasticInterpolantSchema,
  recipeDefaults: onImages(IMAGE_FIELD_DEFAULTS),
  create(options, ctx) {
    checkSampler(ctx.registry, options.sampler, 'stochastic-interpolant: options.sampler');
    const path =
      options.path !== undefined
        ? createPath(options.path, ctx.registry, 'options.path')
        : stochasticInterpolant({
            coefficients: options.coefficients,
            noise: options.noise,
            noiseScale: options.noiseScale,
            endpointGap: options.endpointGap,
          });
    const pairing = createCoupling(options.coupling, options.sinkhorn, ctx.registry, 'options.coupling');
    const field = buildVelocityField(ctx.registry, ctx.dim, ctx.network, ctx.rng.fold(0), ctx.eventShape, ctx.condition);
    const dropout = options.conditionDropout ?? 0;
    return {
      players: [
        {
          name: 'velocity',
          variables: field.variables,
          loss: ({ batch, condition, rng }) =>
            velocityMatchingLoss(field, path, pairing, batch, rng, condition ? { values: condition, dropout } : undefined),
        },
      ],
      model: velocityFlow('stochastic-interpolant', options, field, ctx.registry),
    };
  },
  load(parts) {
    return velocityFlow('stochastic-interpolant', parts.options, mapRole('stochastic-interpolant', parts, 'velocity', 'field'), parts.registry);
  },
});
