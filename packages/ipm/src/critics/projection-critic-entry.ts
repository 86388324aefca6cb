import { defineMap } from '@pfm/core';
import { projectionCritic, projectionCriticOptionsSchema } from './projection-critic.js';

/** Registry entry `projection-critic` (map): the conditional critic of `gan` and `wgan-gp` on labelled or context data. */
export const projectionCriticEntry = defineMap({
  id: 'projection-critic',
  description: 'Conditional critic f(x, c) = ψ(h(x)) + ⟨e(c), h(x)⟩ (projection discriminator, Miyato & Koyama 2018); h an mlp or conv-encoder',
  schema: projectionCriticOptionsSchema,
  create: (options, { rng, registry }) => projectionCritic(options, rng, registry),
});
