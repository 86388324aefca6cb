import { z } from 'zod';

/** Options of the entropic (Sinkhorn) coupling. */
export const sinkhornCouplingSchema = z
  .object({
    /**
     * Entropic regularisation relative to the largest squared distance of the minibatch (the
     * normalised cost of torchcfm's OT plan sampler; default 0.05): π ∝ exp(−‖x0 − x1‖² / (ε max‖x0 − x1‖²)).
     */
    epsilon: z.number().positive().default(0.05),
    /** Sinkhorn iterations at the final ε before giving up (default 1000). */
    maxIterations: z.number().int().positive().default(1000),
  })
  .strict();

/** How a flow objective pairs noise and data in a minibatch. */
export const couplingSchema = z.enum(['independent', 'exact-ot', 'sinkhorn']);

/** The coupling ids: `independent`, `exact-ot`, `sinkhorn`. */
export type CouplingName = z.output<typeof couplingSchema>;
/** Options of {@link sinkhornCoupling}. */
export type SinkhornCouplingOptions = z.input<typeof sinkhornCouplingSchema>;
