import { z } from 'zod';
import { samplerRefSchema } from './sampler-schema.js';

/**
 * Options of a flow model's `logProbWith(x, options)`: the solver of the instantaneous change of
 * variables and the divergence estimator. By default dopri5 with adaptive steps (rtol = atol =
 * 1e-5, the tolerances of FFJORD's evaluation) and the exact divergence up to d = 16, Hutchinson's
 * estimator with one Rademacher probe above. `steps` asks for fixed steps instead.
 */
export const flowLogProbSchema = z
  .object({
    /** Integrator: an ODE id (`dopri5`, `rk4`, `heun`, …) or `{ id, options }` (default `dopri5`). */
    integrator: samplerRefSchema.default('dopri5'),
    /** Fixed number of steps; without it the solve is adaptive. */
    steps: z.number().int().positive().optional(),
    /** Relative tolerance of the adaptive solve (default 1e-5). */
    rtol: z.number().positive().optional(),
    /** Absolute tolerance of the adaptive solve (default 1e-5). */
    atol: z.number().positive().optional(),
    /** Step-size controller of the adaptive solve (`pi`, `integral`, or `{ id, options }`; default `pi`). */
    controller: samplerRefSchema.optional(),
    /** `auto` (default): exact when d ≤ 16, else Hutchinson; `exact`: d VJPs per evaluation; `hutchinson`: `probes` VJPs. */
    divergence: z.enum(['auto', 'exact', 'hutchinson']).default('auto'),
    /** Rademacher probes per point of Hutchinson's estimator, averaged (default 1). */
    probes: z.number().int().positive().default(1),
    /** Seed of the probes (default 0: the same x gives the same estimate). */
    seed: z.number().int().default(0),
  })
  .strict()
  .refine((o) => o.steps === undefined || (o.rtol === undefined && o.atol === undefined && o.controller === undefined), {
    message: 'give either "steps" (fixed steps) or rtol/atol/controller (adaptive steps), not both',
    path: ['steps'],
  });

/** Options of `logProbWith` as a caller writes them (every field optional). */
export type FlowLogProbOptions = z.input<typeof flowLogProbSchema>;
