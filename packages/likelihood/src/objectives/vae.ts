// VAE (Kingma & Welling 2014): maximise the ELBO by reparameterisation,
//   ELBO(x) = E_{ε~N(0,I)}[log p(x | m(x) + s(x) ⊙ ε)] − KL(N(m(x), diag s(x)²) ‖ N(0, I)),
// i.e. minimise −(1/B) Σ_b ELBO(x_b) over encoder and decoder.
import { z } from 'zod';
import { defineObjective } from '@pfm/core';
import { elbo } from '../vae/elbo.js';
import { loadVaeModel, vaeSharedShape, vaeTrainingRun } from './vae-training-run.js';
import { vaeImageDefaults } from './image-recipe-defaults.js';

/** Options of the `vae` objective, with defaults (see the README table). */
export const vaeOptionsSchema = z
  .object({
    ...vaeSharedShape,
    /** Reparameterised samples per data point in the ELBO. */
    samples: z.number().int().min(1).max(1024).default(1),
    /** Closed-form KL (true) or its Monte Carlo estimate (false). */
    analyticKl: z.boolean().default(true),
  })
  .strict();

/** Validated options of `vae`. */
export type VaeOptions = z.output<typeof vaeOptionsSchema>;

/**
 * The `vae` objective: Gaussian encoder and a Gaussian, Bernoulli or continuous-Bernoulli decoder
 * (`likelihood`; widths from `model.hidden`, default [32, 32]) trained on the ELBO. Its model's `logProb` is an importance-sampled estimate.
 * On data with class labels or a context c it is the conditional VAE: q(z | x, c), p(x | z, c), the
 * ELBO of log p(x | c) (`model.condition` chooses `embeddingDim` and `join`).
 * Source: Kingma & Welling, "Auto-encoding variational Bayes", ICLR 2014; Sohn, Lee & Yan,
 * "Learning structured output representation using deep conditional generative models", NeurIPS 2015.
 */
export const vaeObjective = defineObjective({
  id: 'vae',
  description: 'Variational autoencoder (Gaussian encoder; Gaussian, Bernoulli or continuous-Bernoulli decoder) trained on the ELBO',
  schema: vaeOptionsSchema,
  recipeDefaults: vaeImageDefaults,
  create: (options, ctx) =>
    vaeTrainingRun('vae', options, ctx, (model, batch, rng, condition) =>
      elbo(model.maps, batch, { rng, samples: options.samples, analyticKl: options.analyticKl, ...(condition ? { condition } : {}) }),
    ),
  load: (parts) => loadVaeModel('vae', parts),
});
