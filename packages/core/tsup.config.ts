import { libraryConfig } from '../../tsup.shared';

export default libraryConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node.ts',
    files: 'src/files.ts',
    testing: 'src/testing.ts',
    register: 'src/register.ts',
  },
  // Shared code goes to chunks, so @pfm/core, @pfm/core/node, @pfm/core/files and @pfm/core/testing
  // share one copy of every class (instanceof works across entries). Only `register` has a side effect.
  splitting: true,
  // tfjs-core's internal gradient and chained-op modules are ESM with extensionless
  // imports that Node cannot load; bundle them (they register into tfjs's global
  // registries, shared by every copy). The public entry stays an external peer.
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  external: ['@tensorflow/tfjs-core'],
});
