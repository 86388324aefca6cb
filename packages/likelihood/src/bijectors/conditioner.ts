// The network θ(z_K) of a coupling layer: an MLP from the kept coordinates to the parameters of
// the transformation of the others. Its last layer starts at zero, so every coupling starts as
// the identity map (the "zero initialisation" of Kingma & Dhariwal 2018, §3.3).
// With `condition` the network also sees the condition c, θ(z_K, c): the conditional coupling of
// nflows and zuko (`context`), so the flow models p(x | c).
import { z } from 'zod';
import { ACTIVATIONS, conditionOptionsSchema, mlp, type ConditionOptions, type Mlp, type Rng } from '@pfm/core';

/** Network options shared by the coupling layers. */
export const conditionerShape = {
  /** Hidden widths of the conditioner MLP. */
  hidden: z.array(z.number().int().positive()).default([32, 32]),
  /** Activation of the conditioner MLP. */
  activation: z.enum(ACTIVATIONS).default('silu'),
  /** Scale of the initial last layer (0: the coupling starts as the identity). */
  finalScale: z.number().min(0).default(0),
  /** The condition the conditioner sees (class labels or a context vector, see the `mlp` option); absent: unconditional. */
  condition: conditionOptionsSchema.optional(),
};

/** Builds the conditioner MLP `[n, inputDim]` → `[n, outputDim]`. */
export function conditioner(
  options: { hidden: number[]; activation: (typeof ACTIVATIONS)[number]; finalScale: number; condition?: ConditionOptions | undefined },
  inputDim: number,
  outputDim: number,
  rng: Rng,
): Mlp {
  const condition = options.condition ? { condition: options.condition } : {};
  return mlp({ inputDim, outputDim, hidden: options.hidden, activation: options.activation, finalScale: options.finalScale, ...condition }, rng);
}
