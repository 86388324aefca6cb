// Importing this package registers tfjs's WebGL backend factory and its kernels, and tfjs's
// gradients (@pfm/core/register), its only side effects; nothing is created until
// `webgl().init()` runs. `@pfm/backend-webgl/base` has the same exports and registers nothing.
import '@pfm/core/register';
import '@tensorflow/tfjs-backend-webgl';

export * from './base.js';
