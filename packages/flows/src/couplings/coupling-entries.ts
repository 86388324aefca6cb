import { z } from 'zod';
import type { CouplingEntry } from '@pfm/core';
import { sinkhornCouplingSchema } from './coupling-schema.js';
import { exactOtCoupling } from './exact-ot-coupling.js';
import { independentCoupling } from './independent-coupling.js';
import { sinkhornCoupling } from './sinkhorn-coupling.js';

const noOptions = z.object({}).strict();

/** The registry entries of the built-in couplings: `independent`, `exact-ot`, `sinkhorn`. */
export const couplingEntries: readonly CouplingEntry[] = [
  { kind: 'coupling', id: 'independent', description: 'The product coupling μ0 ⊗ μ1: pairs as drawn (I-CFM)', schema: noOptions, create: () => independentCoupling() },
  { kind: 'coupling', id: 'exact-ot', description: 'Minibatch exact optimal-transport assignment for the squared distance (OT-CFM)', schema: noOptions, create: () => exactOtCoupling() },
  { kind: 'coupling', id: 'sinkhorn', description: 'Pairs drawn from the minibatch entropic OT plan (Sinkhorn)', schema: sinkhornCouplingSchema, create: (options) => sinkhornCoupling(options) },
];
