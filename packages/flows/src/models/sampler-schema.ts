import { z } from 'zod';

/**
 * Default sampling settings stored with a flow model (`options.sampler`): the integrator id and
 * its number of steps. 100 Euler steps is the published setup of Tong et al. 2024 (Table 2).
 */
export const samplerSchema = z
  .object({
    /** Integrator id (`euler`, `midpoint`, `heun`, `rk4`, `dopri5`). */
    integrator: z.string().min(1).default('euler'),
    /** Fixed number of steps. */
    steps: z.number().int().positive().default(100),
  })
  .strict();

/** Parsed sampler settings `{ integrator, steps }`. */
export type SamplerOptions = z.output<typeof samplerSchema>;
