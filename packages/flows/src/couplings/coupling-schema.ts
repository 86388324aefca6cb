import { z } from 'zod';

/** Options of the entropic (Sinkhorn) coupling. */
export const sinkhornCouplingSchema = z
  .object({
    /**
     * Entropic regularisation relative to the largest squared distance of the minibatch (the
     * normalised cost of torchcfm's OT plan sampler; default 0.05): π ∝ exp(−‖x0 − x1‖² / (ε max‖x0 − x1‖²)).
     */
    epsilon: z.number().positive().default(0.05),
    /**
     * How Sinkhorn solves the plan (@pfm/ipm's `mode`): 'scaling' (default) runs GeomLoss's ε-scaling
     * loop, a fixed number of updates; 'tolerance' iterates at the final ε until the marginals are
     * within 1e-2 (at most `maxIterations`).
     */
    mode: z.enum(['scaling', 'tolerance']).default('scaling'),
    /** ε-scaling ratio in (0, 1) (@pfm/ipm's `scaling`; default 0.9 in mode 'scaling', 0.5 in 'tolerance'). */
    scaling: z.number().gt(0).lt(1).optional(),
    /** Mode 'tolerance': Sinkhorn iterations at the final ε before giving up (default 1000). */
    maxIterations: z.number().int().positive().default(1000),
  })
  .strict();

/** The built-in couplings of @pfm/flows. */
export const couplingSchema = z.enum(['independent', 'exact-ot', 'sinkhorn']);

/** The built-in coupling ids: `independent`, `exact-ot`, `sinkhorn`. */
export type CouplingName = z.output<typeof couplingSchema>;

/**
 * How a flow objective pairs noise and data in a minibatch: a registry id (`"exact-ot"`, a plugin's
 * id) or `{ id, options }`. The id and the options are checked against the registry when the
 * objective is built.
 */
export const couplingOptionSchema = z.union([
  z.string().min(1),
  z.object({ id: z.string().min(1), options: z.record(z.string(), z.unknown()).default({}) }).strict(),
]);

/** A parsed coupling choice: an id, or `{ id, options }`. */
export type CouplingOption = z.output<typeof couplingOptionSchema>;
/** Options of {@link sinkhornCoupling}. */
export type SinkhornCouplingOptions = z.input<typeof sinkhornCouplingSchema>;
