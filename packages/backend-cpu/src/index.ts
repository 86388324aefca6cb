// Importing this package registers tfjs's CPU backend (with a corrected nearest-resize gradient)
// and tfjs's gradients (@pfm/core/register), its only side effects; `@pfm/backend-cpu/base` has
// the same exports and registers nothing.
import '@pfm/core/register';
import '@tensorflow/tfjs-backend-cpu';
import { registerCpuKernelFixes } from './kernels/register-cpu-kernel-fixes.js';

registerCpuKernelFixes();

export * from './base.js';
