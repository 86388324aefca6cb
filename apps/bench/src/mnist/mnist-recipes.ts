// The recipes of the MNIST track: one JSON object per method, exactly what a user gives
// `pfm train --data mnist --config recipe.json` and what the PyTorch twin
// (`reference/mnist-twin.py`) reads. Networks are left to the image defaults each objective
// builds by role on [28, 28, 1] data (conv-generator with a 64-d latent, unet velocity field,
// conv-encoder critic and VAE encoder), so the recipe says only what the method is about.

export const MNIST_METHODS = ['energy', 'mmd', 'gan', 'wgan-gp', 'flow-matching', 'distill', 'realnvp', 'nsf', 'vae'] as const;
export type MnistMethod = (typeof MNIST_METHODS)[number];

/** What a recipe's budget and batch are made of. */
export interface MnistRecipeSettings {
  steps: number;
  batchSize: number;
  /** `options.pairs` of the distillation: teacher trajectories it fits. */
  distillPairs: number;
  /** `options.teacherSteps` of the distillation: Euler steps of each teacher trajectory. */
  distillTeacherSteps: number;
  /** Euler steps of flow matching's default sampler (`options.sampler.steps`). */
  flowSamplerSteps: number;
}

/** The EMA of a velocity field on images (samples use the average): pfm's image default. */
export const MNIST_EMA = { decay: 0.999, warmupSteps: 100 } as const;

/**
 * The recipe of `method` (the seed is set per run), written out in full for the twin: what
 * `pfm train --data mnist --method ID` uses by default (the objectives' image `recipeDefaults`;
 * a test keeps the two equal): Adam at 1e-3 and batches of 64 for every method, an EMA of the
 * weights for the velocity field (one-step generators measured no better with one at MNIST
 * budgets, nor the GAN with DCGAN's Adam(2e-4, β₁ = 0.5); see core's IMAGE_FIELD_DEFAULTS).
 */
export function mnistRecipe(method: MnistMethod, settings: MnistRecipeSettings): Record<string, unknown> {
  const common = { steps: settings.steps, batchSize: settings.batchSize, seed: 0 };
  const adam = { name: 'adam', lr: 1e-3 };
  switch (method) {
    case 'energy':
    case 'mmd':
      return { method, options: {}, model: {}, optimizer: adam, ...common };
    case 'gan':
    case 'wgan-gp':
      return { method, options: {}, model: {}, optimizer: adam, ...common };
    case 'flow-matching':
      return { method, options: { sigma: 0, sampler: { integrator: 'euler', steps: settings.flowSamplerSteps } }, model: {}, optimizer: adam, ema: { ...MNIST_EMA }, ...common };
    case 'distill':
      // `options.teacher` is filled with the flow-matching model trained just before (pfm) or
      // given to the twin as the teacher recipe.
      return {
        method,
        options: { mode: 'direct', pairs: settings.distillPairs, teacherIntegrator: 'euler', teacherSteps: settings.distillTeacherSteps },
        model: {},
        optimizer: adam,
        ...common,
      };
    case 'realnvp':
      // Uniform dequantisation to 256 levels and the logit transform (Dinh et al. 2017, §4.1).
      return { method, options: { preprocess: { dequantize: true, levels: 256 } }, model: {}, optimizer: adam, ...common };
    case 'nsf':
      // Rational-quadratic spline couplings (Durkan et al. 2019) on the same dequantised, logit-
      // transformed pixels; a fixed random permutation between blocks (pfm's image default: an
      // LU layer costs O(d²) per row at d = 784).
      return { method, options: { preprocess: { dequantize: true, levels: 256 }, permutation: 'random' }, model: {}, optimizer: adam, ...common };
    case 'vae':
      // Continuous Bernoulli decoder (Loaiza-Ganem & Cunningham 2019) on dequantised pixels, so bits/dim exists.
      return { method, options: { likelihood: 'continuous-bernoulli', latentDim: 16, dequantize: true, levels: 256 }, model: {}, optimizer: adam, ...common };
  }
}

/** The teacher recipe of a method that distils one (`distill`: flow matching, same budget). */
export function mnistTeacherRecipe(method: MnistMethod, settings: MnistRecipeSettings): Record<string, unknown> | undefined {
  return method === 'distill' ? mnistRecipe('flow-matching', settings) : undefined;
}
