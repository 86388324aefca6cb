import { libraryConfig } from '../../tsup.shared';

export default libraryConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  splitting: false,
  // The CommonJS build of the node entry resolves the mnist package from import.meta.url.
  shims: true,
  external: ['@tensorflow/tfjs-core', '@pfm/core', 'zod', 'pngjs', 'mnist'],
});
