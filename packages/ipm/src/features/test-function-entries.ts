import { defineTestFunctions, type TestFunctionsEntry } from '@pfm/core';
import { characteristicFeatures, characteristicFeaturesSchema } from './characteristic-features.js';
import { fourierFeatures, fourierFeaturesSchema } from './fourier-features.js';
import { hermiteFeaturesEntry } from './hermite-features-entry.js';
import { momentFeatures, momentFeaturesSchema } from './moment-features.js';

/** Options of the `fourier` family (also used by the `fourier` discrepancy). */
export const fourierSchema = fourierFeaturesSchema;

/** Options of the `characteristic` family (also used by the `characteristic` discrepancy). */
export const characteristicSchema = characteristicFeaturesSchema;

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
    schema: momentFeaturesSchema,
    create: (o, { dim, rng }) => momentFeatures({ dim, rng, ...o }),
  }),
  hermiteFeaturesEntry,
];
