import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node.ts',
    testing: 'src/testing.ts',
    'tfjs-setup': 'src/tfjs/setup.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  splitting: false,
  // tfjs-core's internal gradient and chained-op modules are ESM with extensionless
  // imports that Node cannot load; bundle them (they register into tfjs's global
  // registries, shared by every copy). The public entry stays an external peer.
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  external: ['@tensorflow/tfjs-core'],
});
