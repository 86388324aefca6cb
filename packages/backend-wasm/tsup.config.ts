import { libraryConfig } from '../../tsup.shared';

// shims: import.meta.url in the CommonJS build too (the Node.js threaded start resolves
// tfjs-backend-wasm's files from it). splitting: one copy of the factory for both entries.
export default libraryConfig({ entry: { index: 'src/index.ts', base: 'src/base.ts' }, splitting: true, shims: true });
