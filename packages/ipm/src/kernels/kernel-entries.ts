import { defineKernel, type KernelEntry } from '@pfm/core';
import { distanceKernel, distanceKernelSchema } from './distance-kernel.js';
import { gaussianKernel, gaussianKernelSchema } from './gaussian-kernel.js';
import { inverseMultiquadricKernel, inverseMultiquadricKernelSchema } from './inverse-multiquadric-kernel.js';
import { laplaceKernel, laplaceKernelSchema } from './laplace-kernel.js';
import { rationalQuadraticKernel, rationalQuadraticKernelSchema } from './rational-quadratic-kernel.js';

/** The kernels of @pfm/ipm as registry entries (kind `kernel`). */
export const kernelEntries: KernelEntry[] = [
  defineKernel({
    id: 'gaussian',
    description: 'Gaussian kernel mean_l exp(−‖x − y‖²/(2ℓ_l²)); bandwidth a number, a list, or "median"',
    schema: gaussianKernelSchema,
    create: (o) => gaussianKernel(o),
  }),
  defineKernel({
    id: 'laplace',
    description: 'Laplace kernel exp(−‖x − y‖/ℓ)',
    schema: laplaceKernelSchema,
    create: (o) => laplaceKernel(o),
  }),
  defineKernel({
    id: 'inverse-multiquadric',
    description: 'Inverse multiquadric kernel (c² + ‖x − y‖²)^β, β < 0',
    schema: inverseMultiquadricKernelSchema,
    create: (o) => inverseMultiquadricKernel(o),
  }),
  defineKernel({
    id: 'rational-quadratic',
    description: 'Rational quadratic kernel (1 + ‖x − y‖²/(2αℓ²))^(−α)',
    schema: rationalQuadraticKernelSchema,
    create: (o) => rationalQuadraticKernel(o),
  }),
  defineKernel({
    id: 'distance',
    description: 'Distance kernel ‖x‖^β + ‖y‖^β − ‖x − y‖^β (MMD² = energy distance)',
    schema: distanceKernelSchema,
    create: (o) => distanceKernel(o),
  }),
];
