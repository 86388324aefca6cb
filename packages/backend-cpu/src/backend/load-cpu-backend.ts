import { registerCpuKernelFixes } from '../kernels/register-cpu-kernel-fixes.js';

/**
 * Registers tfjs's CPU backend with its kernels (a corrected `ResizeNearestNeighborGrad` in place
 * of tfjs's), and tfjs's gradients (`@pfm/core/register`).
 * Loaded on first use, so that `@pfm/backend-cpu/base` changes nothing global when imported;
 * each module registers once, on its first import.
 */
export async function loadCpuBackend(): Promise<void> {
  await import('@pfm/core/register');
  await import('@tensorflow/tfjs-backend-cpu');
  registerCpuKernelFixes();
}
