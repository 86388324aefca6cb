import { z } from 'zod';
import type { TestFunctionsEntry } from '@pfm/core';
import { characteristicFeatures, characteristicFeaturesSchema } from './characteristic-features.js';
import { fourierFeatures, fourierFeaturesSchema } from './fourier-features.js';
import { momentFeatures, momentFeaturesSchema } from './moment-features.js';

/** Options of the `fourier` family (also used by the `fourier` discrepancy). */
export const fourierSchema = fourierFeaturesSchema;

/** Options of the `characteristic` family (also used by the `characteristic` discrepancy). */
export const characteristicSchema = characteristicFeaturesSchema;

const momentSchema = momentFeaturesSchema;

/** The test-function families of @pfm/ipm as registry entries (kind `test-functions`). */
export const testFunctionEntries: TestFunctionsEntry[] = [
  {
    kind: 'test-functions',
    id: 'fourier',
    description: 'Fourier features e^{2πi k·x/L}, 0 < ‖k‖∞ ≤ K, weights 2(2π‖k‖)^{−2s}',
    schema: fourierSchema,
    create: (o: z.output<typeof fourierSchema>, { dim }) => fourierFeatures({ dim, ...o }),
  },
  {
    kind: 'test-functions',
    id: 'characteristic',
    description: 'Characteristic-function features e^{i s·x}, s from τ ∝ |s|^{−(d+1)} (energy), Gaussian or Cauchy',
    schema: characteristicSchema,
    create: (o: z.output<typeof characteristicSchema>, { dim, rng }) => characteristicFeatures({ dim, rng, ...o }),
  },
  {
    kind: 'test-functions',
    id: 'moment-generating',
    description: 'Moment-generating features e^{t·x}, t ~ N(0, σ²I)',
    schema: momentSchema,
    create: (o: z.output<typeof momentSchema>, { dim, rng }) => momentFeatures({ dim, rng, ...o }),
  },
];
