import { defineTestFunctions } from '@pfm/core';
import { hermiteFeatures, hermiteFeaturesSchema } from './hermite-features.js';

/** Registry entry `hermite` (kind `test-functions`): normalised Hermite polynomials, τ from the OU eigenvalues. */
export const hermiteFeaturesEntry = defineTestFunctions({
  id: 'hermite',
  description: 'Normalised Hermite polynomials Π He_{a_k}(x_k)/√(a_k!), 1 ≤ |a| ≤ K; τ ∝ |a| (OU eigenvalue), 1/|a| or 1',
  schema: hermiteFeaturesSchema,
  create: (o, { dim }) => hermiteFeatures({ dim, ...o }),
});
