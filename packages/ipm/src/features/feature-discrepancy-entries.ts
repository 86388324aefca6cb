import { z } from 'zod';
import { createRng, defineDiscrepancy, entryRefSchema, type Discrepancy, type EntryRef, type Registry, type TestFunctionFamily } from '@pfm/core';
import { estimatorSchema, tileSizeSchema } from '../plugin/schema-parts.js';
import { featureDiscrepancy } from './feature-discrepancy.js';
import { characteristicSchema, fourierSchema } from './test-function-entries.js';

const seedSchema = z.number().int().default(0);

/**
 * A discrepancy D₂² over a family built lazily for the dimension of the first call (the entry is
 * created before the data dimension is known); one family per dimension, from the same seed.
 */
function lazyFeatureDiscrepancy(
  build: (dim: number) => TestFunctionFamily,
  options: { estimator: 'unbiased' | 'biased'; tileSize: number },
): Discrepancy {
  const families = new Map<number, TestFunctionFamily>();
  return (x, y) => {
    const dim = x.shape[1];
    let family = families.get(dim);
    if (!family) {
      family = build(dim);
      families.set(dim, family);
    }
    return featureDiscrepancy(x, y, { family, estimator: options.estimator, tileSize: options.tileSize });
  };
}

/** Options of the `features` discrepancy: any registered test-function family. */
export const featuresEntrySchema = z.strictObject({
  /** A test-functions registry id, or `{ id, options }`: any registered family works. */
  family: entryRefSchema('test-functions'),
  estimator: estimatorSchema.default('unbiased'),
  seed: seedSchema,
  tileSize: tileSizeSchema,
});

/** Options of the `fourier` discrepancy: the `fourier` family's, the estimator and the tile size. */
export const fourierDiscrepancySchema = fourierSchema.extend({ estimator: estimatorSchema.default('unbiased'), tileSize: tileSizeSchema });
/** Options of the `characteristic` discrepancy: the `characteristic` family's, the estimator, the seed and the tile size. */
export const characteristicDiscrepancySchema = characteristicSchema.extend({
  estimator: estimatorSchema.default('unbiased'),
  seed: seedSchema,
  tileSize: tileSizeSchema,
});

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
  create: (options, { registry }) => lazyFeatureDiscrepancy(familyFrom(registry, options.family, options.seed), options),
});

/** Registry entry `fourier`: D₂² over Fourier features. */
export const fourierDiscrepancyEntry = defineDiscrepancy({
  id: 'fourier',
  description: 'D₂² with Fourier features e^{2πi k·x/L} (negative Sobolev norm on the torus)',
  schema: fourierDiscrepancySchema,
  create(options, { registry }) {
    const { estimator, tileSize, ...family } = options;
    return lazyFeatureDiscrepancy(familyFrom(registry, { id: 'fourier', options: family }, 0), { estimator, tileSize });
  },
});

/** Registry entry `characteristic`: D₂² over characteristic-function features. */
export const characteristicDiscrepancyEntry = defineDiscrepancy({
  id: 'characteristic',
  description: 'D₂² with characteristic-function features; law "energy" gives the energy distance',
  schema: characteristicDiscrepancySchema,
  create(options, { registry }) {
    const { estimator, tileSize, seed, ...family } = options;
    return lazyFeatureDiscrepancy(familyFrom(registry, { id: 'characteristic', options: family }, seed), { estimator, tileSize });
  },
});

/** Registry entries `features`, `fourier` and `characteristic` (mean formulation D₂²). */
export const featureDiscrepancyEntries = [featuresEntry, fourierDiscrepancyEntry, characteristicDiscrepancyEntry];
