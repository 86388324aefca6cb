import { defineDiscrepancy } from '@pfm/core';
import { wassersteinLoss, wassersteinLossSchema } from './wasserstein-loss.js';

/** Registry entry `wasserstein`: exact W_p (the benchmark's W2 with the defaults); options: {@link wassersteinLossSchema}. */
export const wassersteinEntry = defineDiscrepancy({
  id: 'wasserstein',
  description: 'Exact W_p by optimal assignment / network simplex / sorting (Float64, host), gradient through the plan',
  schema: wassersteinLossSchema,
  create: (options) => (x, y) => wassersteinLoss(x, y, options),
});
