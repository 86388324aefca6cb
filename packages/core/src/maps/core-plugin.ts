import { optimizerEntries } from '../optim/optimizer-entries.js';
import { defineMap } from '../registry/define-entries.js';
import { definePlugin } from '../registry/plugin.js';
import { mlp, mlpOptionsSchema } from './mlp.js';
import { timeMlp, timeMlpOptionsSchema } from './time-mlp.js';
import { convGenerator, convGeneratorOptionsSchema } from './conv-generator.js';
import { convEncoder, convEncoderOptionsSchema } from './conv-encoder.js';
import { unet, unetOptionsSchema } from './unet.js';
// The build inlines the version (esbuild keeps only the imported field of a JSON import).
import { version } from '../../package.json';

/**
 * The entries @pfm/core provides: the maps `mlp` and `time-mlp` (family packages build on them), the
 * image maps `conv-generator`, `conv-encoder` and `unet` (rows `[n, h·w·c]`, NHWC inside), and
 * the optimizers `adam`, `adamw` and `sgd` (listed by `pfm list`; recipes reach them without a registry too).
 */
export const corePlugin = definePlugin({
  name: '@pfm/core',
  version,
  entries: [
    defineMap({
      id: 'mlp',
      description: 'Multilayer perceptron φ: R^inputDim → R^outputDim',
      schema: mlpOptionsSchema,
      create: (options, { rng }) => mlp(options, rng),
    }),
    defineMap({
      id: 'time-mlp',
      description: 'Time-conditioned MLP v(t, x) for velocity and score fields',
      schema: timeMlpOptionsSchema,
      create: (options, { rng }) => timeMlp(options, rng),
    }),
    defineMap({
      id: 'conv-generator',
      description: 'DCGAN-style convolutional generator φ: R^inputDim → images [h, w, c] (Radford et al. 2016)',
      schema: convGeneratorOptionsSchema,
      create: (options, { rng }) => convGenerator(options, rng),
    }),
    defineMap({
      id: 'conv-encoder',
      description: 'Strided-convolution encoder images [h, w, c] → R^outputDim, for critics and VAE encoders',
      schema: convEncoderOptionsSchema,
      create: (options, { rng }) => convEncoder(options, rng),
    }),
    defineMap({
      id: 'unet',
      description: 'Small U-Net v(t, x) on images [h, w, c] for velocity and score fields (Ho et al. 2020)',
      schema: unetOptionsSchema,
      create: (options, { rng }) => unet(options, rng),
    }),
    ...optimizerEntries,
  ],
});
