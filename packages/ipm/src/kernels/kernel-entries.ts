import { z } from 'zod';
import type { KernelEntry } from '@pfm/core';
import { lengthScaleSchema } from '../plugin/schema-parts.js';
import { distanceKernel } from './distance-kernel.js';
import { gaussianKernel } from './gaussian-kernel.js';
import { inverseMultiquadricKernel } from './inverse-multiquadric-kernel.js';
import { laplaceKernel } from './laplace-kernel.js';
import { rationalQuadraticKernel } from './rational-quadratic-kernel.js';

const gaussianSchema = z.strictObject({
  bandwidth: z.union([lengthScaleSchema, z.array(z.number().positive()).min(1)]).default('median'),
  scales: z.array(z.number().positive()).min(1).default([1]),
});
const laplaceSchema = z.strictObject({ bandwidth: lengthScaleSchema.default('median') });
const imqSchema = z.strictObject({ scale: lengthScaleSchema.default(1), exponent: z.number().negative().default(-0.5) });
const rqSchema = z.strictObject({ lengthScale: lengthScaleSchema.default('median'), alpha: z.number().positive().default(1) });
const distanceSchema = z.strictObject({ exponent: z.number().gt(0).lt(2).default(1) });

/** The kernels of @pfm/ipm as registry entries (kind `kernel`). */
export const kernelEntries: KernelEntry[] = [
  {
    kind: 'kernel',
    id: 'gaussian',
    description: 'Gaussian kernel mean_l exp(−‖x − y‖²/(2ℓ_l²)); bandwidth a number, a list, or "median"',
    schema: gaussianSchema,
    create: (o: z.output<typeof gaussianSchema>) => gaussianKernel(o),
  },
  {
    kind: 'kernel',
    id: 'laplace',
    description: 'Laplace kernel exp(−‖x − y‖/ℓ)',
    schema: laplaceSchema,
    create: (o: z.output<typeof laplaceSchema>) => laplaceKernel(o),
  },
  {
    kind: 'kernel',
    id: 'inverse-multiquadric',
    description: 'Inverse multiquadric kernel (c² + ‖x − y‖²)^β, β < 0',
    schema: imqSchema,
    create: (o: z.output<typeof imqSchema>) => inverseMultiquadricKernel(o),
  },
  {
    kind: 'kernel',
    id: 'rational-quadratic',
    description: 'Rational quadratic kernel (1 + ‖x − y‖²/(2αℓ²))^(−α)',
    schema: rqSchema,
    create: (o: z.output<typeof rqSchema>) => rationalQuadraticKernel(o),
  },
  {
    kind: 'kernel',
    id: 'distance',
    description: 'Distance kernel ‖x‖^β + ‖y‖^β − ‖x − y‖^β (MMD² = energy distance)',
    schema: distanceSchema,
    create: (o: z.output<typeof distanceSchema>) => distanceKernel(o),
  },
];
