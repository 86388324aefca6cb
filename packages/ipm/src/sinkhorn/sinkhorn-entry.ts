import { defineDiscrepancy } from '@pfm/core';
import { sinkhornSchema } from './sinkhorn.js';
import { sinkhornDivergence } from './sinkhorn-divergence.js';

/** Registry entry `sinkhorn`: the debiased Sinkhorn divergence (options: {@link sinkhornSchema}). */
export const sinkhornEntry = defineDiscrepancy({
  id: 'sinkhorn',
  description: 'Debiased Sinkhorn divergence OT_ε(x,y) − ½OT_ε(x,x) − ½OT_ε(y,y), cost ‖x − y‖^p/p, ε = blur^p',
  schema: sinkhornSchema,
  create: (options) => (x, y) => sinkhornDivergence(x, y, options),
});
