// Importing this package registers tfjs's CPU backend and tfjs's gradients (@pfm/core/register),
// its only side effects; `@pfm/backend-cpu/base` has the same exports and registers nothing.
import '@pfm/core/register';
import '@tensorflow/tfjs-backend-cpu';

export * from './base.js';
