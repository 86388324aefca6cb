import { libraryConfig } from '../../tsup.shared';

// shims: import.meta.url in the CommonJS build too (the Node.js threaded start resolves
// tfjs-backend-wasm's files from it).
export default libraryConfig({ shims: true });
