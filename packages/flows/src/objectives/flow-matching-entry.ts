// Conditional flow matching on the linear path x_t = (1 − (1 − σ_min) t) x0 + t x1 + σ z, with
// x0 ~ N(0, I) at t = 0 and data x1 at t = 1, the pairs drawn from a coupling π: independent
// (I-CFM, Tong et al. 2024, §3.2), minibatch exact OT (OT-CFM, Tong et al. 2024, §3.3, and
// Pooladian et al. 2023) or entropic OT (Sinkhorn, Tong et al. 2024, §3.3).
// On data with a condition c the field is v(t, x | c) and class labels restrict the coupling to
// pairs of one class; `conditionDropout` trains the null branch for classifier-free guidance.
import { z } from 'zod';
import { defineObjective, IMAGE_FIELD_DEFAULTS, onImages } from '@pfm/core';
import { couplingOptionSchema, sinkhornCouplingSchema, type CouplingName } from '../couplings/coupling-schema.js';
import { createCoupling } from '../couplings/create-coupling.js';
import { checkSampler } from '../models/check-sampler.js';
import { samplerSchema } from '../models/sampler-schema.js';
import { linearInterpolant } from '../paths/linear-interpolant.js';
import { buildVelocityField } from './build-velocity-field.js';
import { conditionDropoutSchema } from './condition-dropout.js';
import { mapRole } from './map-role.js';
import { velocityFlow } from './velocity-flow.js';
import { velocityMatchingLoss } from './velocity-matching-loss.js';

/** The options schema of a flow-matching objective whose default coupling is `coupling`. */
export function flowMatchingSchema(coupling: CouplingName) {
  return z
    .object({
      /** Constant Gaussian width σ around the straight path (Tong et al.; 0.1 in their 2-D runs). */
      sigma: z.number().min(0).default(0),
      /** Path width σ_min at the data end (Lipman et al.). */
      sigmaMin: z.number().min(0).lt(1).default(0),
      coupling: couplingOptionSchema.default(coupling),
      sinkhorn: sinkhornCouplingSchema.default(sinkhornCouplingSchema.parse({})),
      sampler: samplerSchema.default(samplerSchema.parse({})),
      /** Probability that a training row's condition is dropped (classifier-free guidance); only with conditional data. */
      conditionDropout: conditionDropoutSchema,
    })
    .strict();
}

/** Parsed options of `flow-matching` and `ot-flow-matching`. */
export type FlowMatchingOptions = z.output<ReturnType<typeof flowMatchingSchema>>;

/** A flow-matching registry entry under `id`, with `coupling` as the default pairing. */
export function flowMatchingEntry(id: string, description: string, coupling: CouplingName) {
  return defineObjective({
    id,
    description,
    schema: flowMatchingSchema(coupling),
    recipeDefaults: onImages(IMAGE_FIELD_DEFAULTS),
    create(options, ctx) {
      checkSampler(ctx.registry, options.sampler, `${id}: options.sampler`);
      const path = linearInterpolant({ sigma: options.sigma, sigmaMin: options.sigmaMin });
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
        model: velocityFlow(id, options, field, ctx.registry),
      };
    },
    load(parts) {
      return velocityFlow(id, parts.options, mapRole(id, parts, 'velocity', 'field'), parts.registry);
    },
  });
}
