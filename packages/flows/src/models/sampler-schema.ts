import { z } from 'zod';

/** A sampler field naming a registry entry: an id, or `{ id, options }` with that entry's options (no default of its own, so a stored id stays a string). */
export const samplerRefSchema = z.union([
  z.string().min(1),
  z
    .object({
      id: z.string().min(1),
      options: z.record(z.string(), z.unknown()).default({}),
    })
    .strict(),
]);

/** A sampler reference to a registry entry: `"id"` or `{ id, options }`. */
export type SamplerRef = z.input<typeof samplerRefSchema>;

/**
 * Default sampling settings stored with a flow model (`options.sampler`): the integrator
 * (`"id"` or `{ id, options }`) and its step policy. `steps` is the number of fixed steps;
 * setting `rtol` or `atol` selects adaptive stepping instead (it needs an integrator with an
 * error estimate, e.g. `dopri5` or `heun`), with a step-size `controller` (default `pi`).
 * 100 Euler steps is the published setup of Tong et al. 2024 (Table 2). The old form
 * `{ integrator: "rk4", steps: 20 }` is unchanged.
 */
export const samplerSchema = z
  .object({
    /** Integrator: an id (`euler`, `midpoint`, `heun`, `rk4`, `dopri5`) or `{ id, options }`. */
    integrator: samplerRefSchema.default('euler'),
    /** Fixed number of steps (used when neither `rtol` nor `atol` is set). */
    steps: z.number().int().positive().default(100),
    /** Relative tolerance of adaptive stepping; setting it (or `atol`) makes the solve adaptive (default 1e-5 then). */
    rtol: z.number().positive().optional(),
    /** Absolute tolerance of adaptive stepping; setting it (or `rtol`) makes the solve adaptive (default 1e-6 then). */
    atol: z.number().positive().optional(),
    /** Step-size controller of adaptive stepping: an id (`pi`, `integral`) or `{ id, options }` (default `pi`). */
    controller: samplerRefSchema.optional(),
  })
  .strict()
  .refine((o) => o.controller === undefined || o.rtol !== undefined || o.atol !== undefined, {
    message: 'a step-size controller needs adaptive stepping: set rtol or atol too (steps are fixed otherwise)',
    path: ['controller'],
  });

/** Parsed sampler settings `{ integrator, steps, rtol?, atol?, controller? }`. */
export type SamplerOptions = z.output<typeof samplerSchema>;
