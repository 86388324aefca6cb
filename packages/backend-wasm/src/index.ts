// Importing this package registers tfjs's wasm backend and its stock kernels, and tfjs's
// gradients (@pfm/core/register), its only side effects; the corrected kernels and the
// threaded start are done by `wasm().init()`. `@pfm/backend-wasm/base` has the same exports
// and registers nothing.
import '@pfm/core/register';
import '@tensorflow/tfjs-backend-wasm';

export * from './base.js';
