import { z } from 'zod';
import { createRng, defineDiscrepancy, entryRefSchema, type Discrepancy, type EntryRef, type Registry, type TestFunctionFamily } from '@pfm/core';
import { characteristicFeaturesSchema } from './characteristic-features.js';
import { featureDiscrepancy, featureDiscrepancySchema } from './feature-discrepancy.js';
import { fourierFeaturesSchema } from './fourier-features.js';

const seedSchema = z.number().int().default(0);

/**
 * A discrepancy D₂² over a family built lazily for the dimension of the first call (the entry is
 * created before the data dimension is known); one family per dimension, from the same seed.
 */
function lazyFeatureDiscrepancy(build: (dim: number) => TestFunctionFamily, options: z.output<typeof featureDiscrepancySchema>): Discrepancy {
  const families = new Map<number, TestFunctionFamily>();
  return (x, y) => {
    const dim = x.shape[1];
    let family = families.get(dim);
    if (!family) {
      family = build(dim);
      families.set(dim, family);
    }
    return featureDiscrepancy(x, y, { family, ...options });
  };
}

/** Options of the `features` discrepancy: any registered test-function family. */
export const featuresEntrySchema = z.strictObject({
  /** A test-functions registry id, or `{ id, options }`: any registered family works. */
  family: entryRefSchema('test-functions'),
  seed: seedSchema,
  ...featureDiscrepancySchema.shape,
});

/** Options of the `fourier` discrepancy: the `fourier` family's and those of {@link featureDiscrepancy}. */
export const fourierDiscrepancySchema = fourierFeaturesSchema.extend(featureDiscrepancySchema.shape);
/** Options of the `characteristic` discrepancy: the `characteristic` family's, the seed and those of {@link featureDiscrepancy}. */
export const characteristicDiscrepancySchema = characteristicFeaturesSchema.extend({ seed: seedSchema, ...featureDiscrepancySchema.shape });

/**
 * The family named by `family`, built per dimension on first use. Its options are checked now,
 * so bad options fail when the discrepancy is built, not at its first call.
 */
function familyFrom(registry: Registry, family: EntryRef, seed: number): (dim: number) => TestFunctionFamily {
  const { id, options } = typeof family === 'string' ? { id: family, options: {} } : family;
  registry.parseOptions('test-functions', id ?? '', options, 'family.options');
  return (dim) => registry.create('test-functions', family, { dim, rng: createRng(seed) }, 'family');
}

/** Registry entry `features`: D₂² over any registered test-function family. */
export const featuresEntry = defineDiscrepancy({
  id: 'features',
  description: 'Mean formulation D₂² = Σ τ_i (⟨f_i|μ⟩ − ⟨f_i|ν⟩)² over any registered test-function family',
  schema: featuresEntrySchema,
  create(options, { registry }) {
    const { family, seed, ...rest } = options;
    return lazyFeatureDiscrepancy(familyFrom(registry, family, seed), rest);
  },
});

/** Registry entry `fourier`: D₂² over Fourier features. */
export const fourierDiscrepancyEntry = defineDiscrepancy({
  id: 'fourier',
  description: 'D₂² with Fourier features e^{2πi k·x/L} (negative Sobolev norm on the torus)',
  schema: fourierDiscrepancySchema,
  create(options, { registry }) {
    const { estimator, tileSize, fused, ...family } = options;
    return lazyFeatureDiscrepancy(familyFrom(registry, { id: 'fourier', options: family }, 0), { estimator, tileSize, fused });
  },
});

/** Registry entry `characteristic`: D₂² over characteristic-function features. */
export const characteristicDiscrepancyEntry = defineDiscrepancy({
  id: 'characteristic',
  description: 'D₂² with characteristic-function features; law "energy" gives the energy distance',
  schema: characteristicDiscrepancySchema,
  create(options, { registry }) {
    const { estimator, tileSize, fused, seed, ...family } = options;
    return lazyFeatureDiscrepancy(familyFrom(registry, { id: 'characteristic', options: family }, seed), { estimator, tileSize, fused });
  },
});

/** Registry entries `features`, `fourier` and `characteristic` (mean formulation D₂²). */
export const featureDiscrepancyEntries = [featuresEntry, fourierDiscrepancyEntry, characteristicDiscrepancyEntry];
