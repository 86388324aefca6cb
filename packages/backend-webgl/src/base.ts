// `@pfm/backend-webgl/base`: the factory with no side effect on import; `webgl().init()`
// registers tfjs's WebGL backend and the gradients when it runs.
export { webgl } from './backend/webgl.js';
export type { WebglBackendProvider } from './backend/webgl.js';
