// Importing this package registers tfjs's WebGPU kernels (and, where navigator.gpu exists, its
// backend factory) and tfjs's gradients (@pfm/core/register), its only side effects; nothing is
// created until `webgpu().init()` runs. `@pfm/backend-webgpu/base` has the same exports and
// registers nothing.
import '@pfm/core/register';
import '@tensorflow/tfjs-backend-webgpu';

export * from './base.js';
