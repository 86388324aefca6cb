// IWAE (Burda et al. 2016, eq. 8): maximise the K-sample importance-weighted bound
//   L_K(x) = E[log (1/K) Σ_k p(x | z_k) p(z_k) / q(z_k | x)],  z_k = m(x) + s(x) ⊙ ε_k,
// which is ≥ the ELBO and increases to log p(x) with K.
import { z } from 'zod';
import { defineObjective } from '@pfm/core';
import { iwaeBound } from '../vae/iwae-bound.js';
import { loadVaeModel, vaeSharedShape, vaeTrainingRun } from './vae-training-run.js';
import { vaeImageDefaults } from './image-recipe-defaults.js';

/** Options of the `iwae` objective, with defaults (see the README table). */
export const iwaeOptionsSchema = z
  .object({
    ...vaeSharedShape,
    /** Importance samples K per data point in the training bound. */
    samples: z.number().int().min(1).max(1024).default(5),
  })
  .strict();

/** Validated options of `iwae`. */
export type IwaeOptions = z.output<typeof iwaeOptionsSchema>;

/**
 * The `iwae` objective: the VAE networks trained on the K-sample importance-weighted bound; on data
 * with class labels or a context c, the conditional networks and the bound of log p(x | c).
 * Source: Burda, Grosse & Salakhutdinov, "Importance weighted autoencoders", ICLR 2016.
 */
export const iwaeObjective = defineObjective({
  id: 'iwae',
  description: 'Importance weighted autoencoder: the K-sample bound L_K ≥ ELBO',
  schema: iwaeOptionsSchema,
  recipeDefaults: vaeImageDefaults,
  create: (options, ctx) =>
    vaeTrainingRun('iwae', options, ctx, (model, batch, rng, condition) =>
      iwaeBound(model.maps, batch, { rng, samples: options.samples, ...(condition ? { condition } : {}) }),
    ),
  load: (parts) => loadVaeModel('iwae', parts),
});
