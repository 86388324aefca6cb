import { z } from 'zod';
import { defineTestFunctions, type TestFunctionsEntry } from '@pfm/core';
import { vectorsSchema, weightsSchema } from '../plugin/schema-parts.js';
import { characteristicFeatures } from './characteristic-features.js';
import { fourierFeatures } from './fourier-features.js';
import { momentFeatures } from './moment-features.js';

/** Options of the `fourier` family (also used by the `fourier` discrepancy). */
export const fourierSchema = z.strictObject({
  maxFrequency: z.number().int().positive().default(8),
  period: z.number().positive().default(1),
  smoothness: z.number().positive().default(1),
  frequencies: vectorsSchema.optional(),
  weights: weightsSchema.optional(),
});

/** Options of the `characteristic` family (also used by the `characteristic` discrepancy). */
export const characteristicSchema = z.strictObject({
  count: z.number().int().positive().default(256),
  law: z.enum(['energy', 'gaussian', 'cauchy']).default('energy'),
  lengthScale: z.number().positive().default(1),
  frequencies: vectorsSchema.optional(),
  weights: weightsSchema.optional(),
});

const momentSchema = z.strictObject({
  count: z.number().int().positive().default(64),
  scale: z.number().positive().default(0.5),
  points: vectorsSchema.optional(),
  weights: weightsSchema.optional(),
});

/** The test-function families of @pfm/ipm as registry entries (kind `test-functions`). */
export const testFunctionEntries: TestFunctionsEntry[] = [
  defineTestFunctions({
    id: 'fourier',
    description: 'Fourier features e^{2πi k·x/L}, 0 < ‖k‖∞ ≤ K, weights 2(2π‖k‖)^{−2s}',
    schema: fourierSchema,
    create: (o, { dim }) => fourierFeatures({ dim, ...o }),
  }),
  defineTestFunctions({
    id: 'characteristic',
    description: 'Characteristic-function features e^{i s·x}, s from τ ∝ |s|^{−(d+1)} (energy), Gaussian or Cauchy',
    schema: characteristicSchema,
    create: (o, { dim, rng }) => characteristicFeatures({ dim, rng, ...o }),
  }),
  defineTestFunctions({
    id: 'moment-generating',
    description: 'Moment-generating features e^{t·x}, t ~ N(0, σ²I)',
    schema: momentSchema,
    create: (o, { dim, rng }) => momentFeatures({ dim, rng, ...o }),
  }),
];
