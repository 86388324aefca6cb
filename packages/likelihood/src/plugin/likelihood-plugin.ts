// The registry entries of @pfm/likelihood: its bijectors and VAE networks ('map'), and the
// objectives realnvp, nsf, flow-mle, vae, iwae.
import { defineMap, definePlugin } from '@pfm/core';
import { bijectorEntries } from '../bijectors/bijector-entries.js';
import { gaussianEncoder, gaussianEncoderOptionsSchema } from '../vae/gaussian-encoder.js';
import { gaussianDecoder, gaussianDecoderOptionsSchema } from '../vae/gaussian-decoder.js';
import { bernoulliDecoder, bernoulliDecoderOptionsSchema } from '../vae/bernoulli-decoder.js';
import { realNvpObjective } from '../objectives/realnvp.js';
import { nsfObjective } from '../objectives/nsf.js';
import { flowMleObjective } from '../objectives/flow-mle.js';
import { vaeObjective } from '../objectives/vae.js';
import { iwaeObjective } from '../objectives/iwae.js';
// The build inlines the version (esbuild keeps only the imported field of a JSON import).
import { version } from '../../package.json';

const encoderEntry = defineMap({
  id: 'gaussian-encoder',
  description: 'VAE encoder q(z | x) = N(m(x), diag s(x)²): an MLP (or options.network, e.g. conv-encoder) returning (m, log s)',
  schema: gaussianEncoderOptionsSchema,
  create: (options, { rng, registry }) => gaussianEncoder(options, rng, registry),
});

const decoderEntry = defineMap({
  id: 'gaussian-decoder',
  description: 'VAE decoder p(x | z) = N(φ(z), σ² I), σ fixed or learned; φ an MLP or options.network (e.g. conv-generator)',
  schema: gaussianDecoderOptionsSchema,
  create: (options, { rng, registry }) => gaussianDecoder(options, rng, registry),
});

const bernoulliDecoderEntry = defineMap({
  id: 'bernoulli-decoder',
  description: 'VAE decoder for data in [0, 1]: Bernoulli (binary cross-entropy) or continuous Bernoulli with logits φ(z); φ an MLP or options.network',
  schema: bernoulliDecoderOptionsSchema,
  create: (options, { rng, registry }) => bernoulliDecoder(options, rng, registry),
});

/**
 * The @pfm/likelihood plugin: bijector maps (affine-coupling, additive-coupling, spline-coupling,
 * permutation, act-norm, lu-linear, elementwise-affine, sigmoid, logit, chain), VAE maps
 * (gaussian-encoder, gaussian-decoder, bernoulli-decoder) and objectives (realnvp, nsf, flow-mle, vae, iwae).
 * Source: Cabannes, "Touring sampling with pushforward maps", arXiv 2311.13845, §3.
 */
export const likelihoodPlugin = definePlugin({
  name: '@pfm/likelihood',
  version,
  entries: [...bijectorEntries, encoderEntry, decoderEntry, bernoulliDecoderEntry, realNvpObjective, nsfObjective, flowMleObjective, vaeObjective, iwaeObjective],
});
