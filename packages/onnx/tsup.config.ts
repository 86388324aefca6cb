import { libraryConfig } from '../../tsup.shared';

export default libraryConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  splitting: false,
  external: ['@tensorflow/tfjs-core', '@pfm/core', 'zod', 'protobufjs'],
});
