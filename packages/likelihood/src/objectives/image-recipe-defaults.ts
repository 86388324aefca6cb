// What the density models suggest on images (`recipeDefaults`), under the user's recipe.
import { IMAGE_BATCH_SIZE, onImages } from '@pfm/core';

/**
 * Flows (realnvp, nsf, flow-mle) on images: minibatches of 64 and `preprocess: {}`, i.e. uniform
 * dequantisation to 256 levels and the logit transform with λ = 1e-6 (Dinh et al. 2017, §4.1), so
 * the model is a density of dequantised pixels and reports bits per dimension.
 */
export const flowImageDefaults = onImages({ batchSize: IMAGE_BATCH_SIZE, options: { preprocess: {} } });

/**
 * `nsf` on images: the flows' image defaults, and a fixed random permutation between blocks instead
 * of its default LU linear layer. At d = h·w·c (784 on MNIST) an LU layer costs O(d²) per row and
 * layer in each direction, and its weight W = PL(U + diag e^u) is rebuilt from d² parameters every
 * step; a permutation is a gather (Glow's shuffle, Kingma & Dhariwal 2018, §3.2). A recipe's own
 * `options.permutation` (`lu` included) wins.
 */
export const nsfImageDefaults = onImages({ batchSize: IMAGE_BATCH_SIZE, options: { preprocess: {}, permutation: 'random' } });

/**
 * VAE and IWAE on images: minibatches of 64, a 16-d latent, and the continuous Bernoulli decoder
 * (Loaiza-Ganem & Cunningham 2019) on dequantised pixels, a density of pixels in [0, 1] that gives
 * bits per dimension (the Gaussian decoder with a learned variance is not one for pixels near 0 and 1).
 */
export const vaeImageDefaults = onImages({ batchSize: IMAGE_BATCH_SIZE, options: { latentDim: 16, likelihood: 'continuous-bernoulli', dequantize: true } });
