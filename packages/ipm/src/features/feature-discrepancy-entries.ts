import { z } from 'zod';
import { createRng, type Discrepancy, type DiscrepancyEntry, type Registry, type TestFunctionFamily } from '@pfm/core';
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

const featuresSchema = z.strictObject({
  /** A test-functions registry id with its options: any registered family works. */
  family: z.strictObject({ id: z.string().min(1), options: z.record(z.string(), z.unknown()).default({}) }),
  estimator: estimatorSchema.default('unbiased'),
  seed: seedSchema,
  tileSize: tileSizeSchema,
});

const fourierDiscrepancySchema = fourierSchema.extend({ estimator: estimatorSchema.default('unbiased'), tileSize: tileSizeSchema });
const characteristicDiscrepancySchema = characteristicSchema.extend({
  estimator: estimatorSchema.default('unbiased'),
  seed: seedSchema,
  tileSize: tileSizeSchema,
});

function familyFrom(registry: Registry, id: string, options: unknown, seed: number) {
  const parsed = registry.parseOptions('test-functions', id, options, 'family.options');
  const entry = registry.get('test-functions', id);
  return (dim: number) => entry.create(parsed, { dim, rng: createRng(seed) });
}

/** Registry entries `features`, `fourier` and `characteristic` (mean formulation D₂²). */
export const featureDiscrepancyEntries: DiscrepancyEntry[] = [
  {
    kind: 'discrepancy',
    id: 'features',
    description: 'Mean formulation D₂² = Σ τ_i (⟨f_i|μ⟩ − ⟨f_i|ν⟩)² over any registered test-function family',
    schema: featuresSchema,
    create(options: z.output<typeof featuresSchema>, { registry }) {
      const build = familyFrom(registry, options.family.id, options.family.options, options.seed);
      return lazyFeatureDiscrepancy(build, options);
    },
  },
  {
    kind: 'discrepancy',
    id: 'fourier',
    description: 'D₂² with Fourier features e^{2πi k·x/L} (negative Sobolev norm on the torus)',
    schema: fourierDiscrepancySchema,
    create(options: z.output<typeof fourierDiscrepancySchema>, { registry }) {
      const { estimator, tileSize, ...family } = options;
      return lazyFeatureDiscrepancy(familyFrom(registry, 'fourier', family, 0), { estimator, tileSize });
    },
  },
  {
    kind: 'discrepancy',
    id: 'characteristic',
    description: 'D₂² with characteristic-function features; law "energy" gives the energy distance',
    schema: characteristicDiscrepancySchema,
    create(options: z.output<typeof characteristicDiscrepancySchema>, { registry }) {
      const { estimator, tileSize, seed, ...family } = options;
      return lazyFeatureDiscrepancy(familyFrom(registry, 'characteristic', family, seed), { estimator, tileSize });
    },
  },
];
