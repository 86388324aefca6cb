import { optimizerEntries } from '../optim/optimizer-entries.js';
import { defineMap } from '../registry/define-entries.js';
import { definePlugin } from '../registry/plugin.js';
import { mlp, mlpOptionsSchema } from './mlp.js';
import { timeMlp, timeMlpOptionsSchema } from './time-mlp.js';
// The build inlines the version (esbuild keeps only the imported field of a JSON import).
import { version } from '../../package.json';

/**
 * The entries @pfm/core provides: the maps `mlp` and `time-mlp` (family packages build on them) and
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
    ...optimizerEntries,
  ],
});
