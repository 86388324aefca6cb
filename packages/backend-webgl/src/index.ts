// Importing this package registers tfjs's WebGL backend factory and its kernels (the one side
// effect it has); nothing is created until `webgl().init()` runs.
import '@tensorflow/tfjs-backend-webgl';

export { webgl } from './backend/webgl.js';
export type { WebglBackendProvider } from './backend/webgl.js';
